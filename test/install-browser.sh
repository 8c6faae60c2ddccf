#!/bin/sh
# The HTML report is tested in Debian's headless Chromium (test/reporters.test.ts).
# Installs it when missing and this machine can (root with apt-get); otherwise says
# that the browser test will be skipped and leaves the machine alone.
set -eu
browser=/usr/bin/chromium
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: no $browser and no root apt-get here: the HTML report's browser test will be skipped" >&2
  exit 0
fi
echo "installing Debian's chromium for the HTML report's browser test (about 2 minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
