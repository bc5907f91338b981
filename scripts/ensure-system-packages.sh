#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when missing:
# chromium + fonts-noto-cjk (browser test of the web chat), postgresql + redis-server (scale-out test).
# Idempotent: does nothing when they are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Chinese glyphs for the browser test's screenshots (without them the page shows boxes).
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
{ command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; } || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "error: the tests need these Debian packages: ${need[*]}." >&2
    echo "Install them as root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
else SUDO=; fi
echo "Installing Debian packages the tests need: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
