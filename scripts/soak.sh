#!/usr/bin/env bash
# Long soak run (issue 6, item 6): `mmsim soak` over several seeds, each 100 phones × 30 simulated minutes by
# default, release build. CI runs a 10-phone soak in Tests/FleetTests; this is the long one, by hand.
#
#   scripts/soak.sh [SEEDS=3] [DEVICES=100] [MINUTES=30]    # seeds 1…SEEDS
#   scripts/soak.sh --seed S [DEVICES] [MINUTES]           # replay one seed (a failure prints its seed)
#
# Exits 1 at the first seed whose invariants broke (its report says which and how to replay), 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [SEEDS=3] [DEVICES=100] [MINUTES=30] | $0 --seed S [DEVICES] [MINUTES]" >&2; exit 2; }
if [ "${1:-}" = "--seed" ]; then
  first="${2:-}"; shift 2 || usage; last="$first"
else
  first=1; last="${1:-3}"; shift || true
fi
devices="${1:-100}"
minutes="${2:-30}"
for number in "$first" "$last" "$devices" "$minutes"; do
  case "$number" in ''|*[!0-9]*) usage ;; esac
done

swift build -c release --product mmsim
for seed in $(seq "$first" "$last"); do
  echo "== soak seed $seed: $devices phones × $minutes simulated minutes"
  .build/release/mmsim soak --devices "$devices" --minutes "$minutes" --seed "$seed" || exit 1
done
echo "soak: seeds $first…$last passed"
