#!/usr/bin/env bash
# The browser tests need Debian's Chromium (or E2E_CHROMIUM) and the CJK fonts (Chinese text in screenshots).
# Missing ones are installed with apt-get when running as root where apt is available (CI, a fresh container);
# otherwise this stops at once with one line giving the command to run. Used by `npm test` (scripts/test.ts) and .ci/run.
set -euo pipefail
chromium="${E2E_CHROMIUM:-/usr/bin/chromium}"
need=()
[ -x "$chromium" ] || need+=(chromium)
# (the font list is read whole first: grep -q would stop the pipe early, which pipefail counts as a failure)
fonts="$(fc-list 2>/dev/null || true)"
grep -qi 'noto sans cjk' <<<"$fonts" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing ${need[*]} for the browser tests (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; then
    [ -x "$chromium" ] && exit 0
    echo "[setup] $chromium is still missing after installing chromium; set E2E_CHROMIUM to a Chromium binary" >&2
    exit 1
  fi
  echo "[setup] apt-get could not install ${need[*]}: run  apt-get install -y ${need[*]}  and then npm test again" >&2
  exit 1
fi
echo "[setup] the browser tests need ${need[*]}: run  sudo apt-get install -y ${need[*]}  (or set E2E_CHROMIUM to a Chromium binary), then npm test again" >&2
exit 1
