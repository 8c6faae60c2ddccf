#!/bin/sh
exec node "$SUBMISSION/server.js"
