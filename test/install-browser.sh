#!/bin/sh
# The HTML report is tested in Debian's headless Chromium (test/unit/conformance/reporters.test.ts).
# Installs it when missing and this machine can (root with apt-get). Never stops the tests:
# when it cannot install (not root, apt locked, no network), it says why, leaves the reason
# in .browser-unavailable for the test to skip with, and exits 0.
set -u
cd "$(dirname "$0")/.."
browser=/usr/bin/chromium
reason_file=.browser-unavailable
rm -f "$reason_file"
if [ -x "$browser" ]; then exit 0; fi
unavailable() {
  echo "note: $1: the HTML report's browser test will be skipped" >&2
  echo "$1" > "$reason_file"
  exit 0
}
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  unavailable "no $browser, and no root apt-get here to install it"
fi
echo "installing Debian's chromium for the HTML report's browser test (about 2 minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
# Waits a while for another apt to finish, never for ever.
apt="timeout 600 apt-get -o DPkg::Lock::Timeout=120"
$apt update -qq || unavailable "apt-get update failed (apt locked, or no network)"
$apt install -y -qq --no-install-recommends chromium >/dev/null || unavailable "apt-get could not install chromium (apt locked, or no network)"
[ -x "$browser" ] || unavailable "apt-get installed chromium, but there is no $browser"
