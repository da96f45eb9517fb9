#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright's own browser download is not
# available offline). Install it when missing and we are allowed to.
set -e
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is missing: install Debian's 'chromium' package (or set CHROMIUM_PATH)." >&2
  exit 1
fi
