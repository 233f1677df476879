#!/usr/bin/env bash
# Every test: the Swift suite (unit, integration over loopback, tmux end to end), then the Python suite against the
# built binary (the web System Console in real headless Chromium, and mattermostdriver against `mmsim serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test
MMSIM_BINARY="$PWD/.build/debug/mmsim" scripts/test-browser.sh
