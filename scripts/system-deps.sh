#!/usr/bin/env bash
# Installs the Debian packages the portal needs, if they are missing and we may install them.
#   scripts/system-deps.sh run    fonts for Chinese PDFs and fast font subsetting
#   scripts/system-deps.sh test   + chromium (browser tests) and poppler-utils (PDF text checks)
#   scripts/system-deps.sh ci     + redis-server, postgresql and wrk (the bench smoke test)
#   scripts/system-deps.sh bench  + postgresql and wrk (python -m bench.load, bench/README.md)
set -euo pipefail
need=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
case "${1:-run}" in
  run) ;;
  test) need+=(chromium poppler-utils) ;;
  ci) need+=(chromium poppler-utils redis-server postgresql curl gettext wrk) ;;
  bench) need+=(postgresql postgresql-contrib wrk) ;;
  *) echo "usage: $0 run|test|ci|bench" >&2; exit 2 ;;
esac
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
  echo "Installing Debian packages with sudo: ${missing[*]}"
  sudo apt-get update -q >/dev/null
  sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "WARNING: missing system packages: ${missing[*]} (install them with your package manager)" >&2
fi
