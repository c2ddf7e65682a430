#!/usr/bin/env bash
# The report tests render in Debian's headless chromium (and a CJK font for the screenshot): install them
# when missing (CI runs as root on a fresh machine).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
else
  echo "chromium is missing: install the Debian packages chromium and fonts-wqy-zenhei" >&2
fi
