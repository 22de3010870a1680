#!/usr/bin/env bash
# Make sure the browser tests have a Chromium to drive. On Debian as root it is
# installed from Debian's packages; anywhere else the browser tests are skipped
# with a visible notice (CI sets ATLAS_REQUIRE_BROWSER=1, which turns a skip into a failure).
set -euo pipefail
chromium="${ATLAS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "browser tests: using $chromium"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser tests: installing Chromium from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  echo "browser tests: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi
echo "NOTICE: no Chromium at $chromium and cannot install it here (need root + apt-get)."
echo "NOTICE: the browser tests will be SKIPPED. Install chromium or set ATLAS_CHROMIUM to run them."
