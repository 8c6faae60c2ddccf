#!/bin/sh
exec python3 "$SUBMISSION/server.py"
