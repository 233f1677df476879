#!/usr/bin/env bash
# Fleets beyond one machine, on one: 3 shard processes (`mmsim fleet --server URL --shard I/3`) against one
# `mmsim serve --ephemeral --users N`, side by side, then `mmsim fleet merge`. Prints bench/run.sh's rows
# ("benchmark|result|target|reference|met"); the runs' own output goes to stderr and bench/out/shards/.
#   bench/shards.sh [DEVICES]     # default 3000 phones over the 3 shards; bench/run.sh calls it
#   BIN=.build/debug/mmsim bench/shards.sh 300    # another build
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/.build/release/mmsim}
DEVICES=${1:-3000}
SHARDS=3
DIR=$PWD/bench/out/shards
rm -rf "$DIR"
mkdir -p "$DIR"

coproc SERVER { exec "$BIN" serve --ephemeral --port 0 --users "$DEVICES" --log-level warning; }
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
read -r line <&"${SERVER[0]}"
url=$(echo "$line" | sed -n 's/^mmsim server listening on \([^ ]*\).*/\1/p')
[[ -n $url ]] || { echo "shards: mmsim serve did not start: $line" >&2; exit 2; }

echo "== $SHARDS shards of $DEVICES phones against one mmsim serve ($url)" >&2
pids=()
for i in $(seq "$SHARDS"); do
    MMSIM_ADMIN_USER=sysadmin MMSIM_ADMIN_PASSWORD='Sys@dmin-sample1' \
        "$BIN" fleet --server "$url" --devices "$DEVICES" --shard "$i/$SHARDS" --json "$DIR/shard-$i.json" \
        > "$DIR/shard-$i.txt" 2> "$DIR/shard-$i.err" &
    pids+=($!)
done
statuses=()
for pid in "${pids[@]}"; do
    status=0
    wait "$pid" || status=$?
    statuses+=("$status")
done
cat "$DIR"/shard-*.txt "$DIR"/shard-*.err >&2
merge_status=0
(cd "$DIR" && "$BIN" fleet merge shard-*.json --json merged.json > merged.txt 2>&1) || merge_status=$?
cat "$DIR/merged.txt" >&2

python3 - "$DIR" "$SHARDS" "$DEVICES" "${statuses[*]}" "$merge_status" <<'PY'
import json, sys
folder, shards, devices, statuses, merge_status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
parts = [json.load(open(f"{folder}/shard-{i}.json")) for i in range(1, shards + 1)]
merged = json.load(open(f"{folder}/merged.json"))
def totals(report):
    return {"devices": report["devices"], "detected": report["revocationsDetected"], "missed": report["missed"],
            "wrong": report["wrongLogouts"], "requests": sum(p["requests"] for p in report["phases"])}
sums = {key: sum(totals(p)[key] for p in parts) for key in totals(merged)}
equal = totals(merged) == sums
exits_ok = statuses.split() == ["0"] * shards and merge_status == 0
lat = next(p for p in merged["phases"] if p["name"] == "reconnect").get("latency") or {"p50": 0, "p99": 0}
shown = "; ".join(f"{k} {totals(merged)[k]} = " + " + ".join(str(totals(p)[k]) for p in parts) for k in sums)
print(f"{shards} shards × `mmsim fleet --server URL --shard I/{shards} --devices {devices}` side by side against one "
      f"`mmsim serve --users {devices}`, then `mmsim fleet merge`|{merged['revocationsDetected']}/{devices} detected; "
      f"slowest shard {merged['wallSeconds']:.2f} s; merged reconnect p50 / p99 {lat['p50']:.1f} / {lat['p99']:.1f} ms"
      f"|all detected, exits 0|shard exits {statuses}, merge exit {merge_status}; worst: {merged.get('worstShard', '-')}"
      f"|{'yes' if exits_ok and merged['revocationsDetected'] == devices else '**no**'}")
print(f"3-shard merged run: merged totals == sum of the shards|{shown}|equal|—|{'yes' if equal else '**no**'}")
PY
