#!/usr/bin/env bash
# The web System Console in real headless Chromium (Tests/Browser, pytest + Selenium). Needs Debian's chromium and
# chromium-driver (nothing downloads a browser), Python 3 with pytest and selenium, and tmux for the MM-T941 test
# with the terminal phone. Builds mmsim unless MMSIM_BINARY names one. Screenshots: out/browser-screenshots/.
# Extra arguments go to pytest, e.g.  scripts/test-browser.sh -k mm_t940
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${MMSIM_BINARY:-}" ]; then
  swift build --product mmsim
fi

status=0
python3 -m pytest Tests/Browser -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "test-browser: pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
