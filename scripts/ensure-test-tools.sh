#!/bin/sh
# What the tests need from Debian: its Chromium for the browser tests (Playwright's own
# browser download is not available offline), gettext, whose xgettext and msgfmt check
# the Greek catalogue, and wrk, which loads the servers in the benchmarks' smoke run.
# Install what is missing when we are allowed to.
set -e
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
missing=""
[ -x "$CHROMIUM" ] || missing="chromium"
command -v xgettext >/dev/null && command -v msgfmt >/dev/null || missing="$missing gettext"
command -v wrk >/dev/null || missing="$missing wrk"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's$missing for the tests…"
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Missing Debian packages for the tests:$missing (or set CHROMIUM_PATH)." >&2
  exit 1
fi
