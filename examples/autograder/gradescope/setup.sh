#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
set -euo pipefail
apt-get update
apt-get install -y ca-certificates curl gnupg python3
# Node.js 20 from NodeSource's packages.
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
# sockspec from the tarball beside this script (npm pack), else from the registry.
cd /autograder/source
if ls sockspec-*.tgz >/dev/null 2>&1; then
  npm install --global ./sockspec-*.tgz
else
  npm install --global sockspec
fi
sockspec --version
