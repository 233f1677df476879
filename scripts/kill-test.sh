#!/usr/bin/env bash
# Long crash-safety run (issue 6, item 3): SIGKILL `mmsim crash-writer` COUNT times at random points while it
# writes the token cache and the outbox, and check the disk after every kill. Same loop as the CI test
# (Tests/ReliabilityTests/CrashSafetyTests.swift, 200 kills), driven through MMSIM_KILL_COUNT / MMSIM_KILL_SEED.
#
#   scripts/kill-test.sh [COUNT=1000] [SEED]      # SEED: replay a failing run (the test prints its seed)
#
# Prints "crash safety: N kills, 0 corrupt files, 0 lost, 0 duplicated, M leftover temp files"; exits non-zero
# on any corrupt file, lost or duplicated message. About 0.1 s a kill on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-1000}"
seed="${2:-}"
case "$count" in ''|*[!0-9]*) echo "usage: $0 [COUNT=1000] [SEED]" >&2; exit 2 ;; esac
case "$seed" in *[!0-9]*) echo "usage: $0 [COUNT=1000] [SEED]" >&2; exit 2 ;; esac

swift build --build-tests
export MMSIM_KILL_COUNT="$count"
if [ -n "$seed" ]; then export MMSIM_KILL_SEED="$seed"; fi
swift test --skip-build --filter CrashSafetyTests
