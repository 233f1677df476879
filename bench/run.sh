#!/usr/bin/env bash
# mmsim's performance figures, measured on this machine and written to bench/RESULTS.md (run by hand, not in CI).
#   bench/run.sh            # builds release if needed, then measures everything (~3 minutes)
#   DEVICES=2000 bench/run.sh   # a smaller fleet (SHARD_DEVICES=N: phones of the 3-shard run, default 3000)
# Needs: hyperfine, wrk (apt-get install -y hyperfine wrk), tmux, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
mkdir -p "$OUT"
DEVICES=${DEVICES:-10000}

if [[ ! -x .build/release/mmsim || ! -x .build/release/mmsim-bench || -n ${REBUILD:-} ]]; then
    swift build -c release --product mmsim
    swift build -c release --product mmsim-bench
fi
BIN=$ROOT/.build/release/mmsim
BENCH=$ROOT/.build/release/mmsim-bench
for tool in hyperfine wrk tmux python3; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 2; }; done

rows=()   # "benchmark|result|target|reference (ratio)|met"
verdict() { python3 -c "import sys; print('yes' if $1 else '**no**')"; }

# 1. The headless runner, whole process, with hyperfine.
echo "== mmsim run demo/MM-T941.yaml" >&2
hyperfine --warmup 3 --runs 30 --export-json "$OUT/run.json" "$BIN run demo/MM-T941.yaml" >&2
run_ms=$(python3 -c "import json; r=json.load(open('$OUT/run.json'))['results'][0]; print(f\"{r['median']*1000:.1f}\")")
run_sd=$(python3 -c "import json; r=json.load(open('$OUT/run.json'))['results'][0]; print(f\"{r['stddev']*1000:.1f}\")")
rows+=("\`mmsim run demo/MM-T941.yaml\` median (hyperfine, 30 runs)|${run_ms} ms ± ${run_sd}|≤ 150 ms|—|$(verdict "$run_ms <= 150")")

# 1b. A 100-scenario suite (100 copies of MM-T941) one at a time and two at a time, side by side in one hyperfine.
echo "== mmsim run --jobs 1 vs --jobs 2, 100 scenarios" >&2
suite=$(mktemp -d)
for i in $(seq -w 1 100); do cp demo/MM-T941.yaml "$suite/mm-t941-$i.yaml"; done
hyperfine --warmup 1 --runs 10 --export-json "$OUT/jobs.json" -n "jobs 1" "$BIN run --jobs 1 $suite" \
    -n "jobs 2" "$BIN run --jobs 2 $suite" >&2
rm -rf "$suite"
read -r jobs1_s jobs2_s jobs_ratio <<<"$(python3 -c "
import json; r = {x['command']: x['median'] for x in json.load(open('$OUT/jobs.json'))['results']}
print(f\"{r['jobs 1']:.2f} {r['jobs 2']:.2f} {r['jobs 1'] / r['jobs 2']:.2f}\")")"
echo "jobs 1: ${jobs1_s} s, jobs 2: ${jobs2_s} s, ratio ${jobs_ratio}×" >&2
rows+=("\`mmsim run --jobs 2\` vs \`--jobs 1\`, 100 copies of MM-T941 (hyperfine medians, 10 runs each)|${jobs_ratio}× faster (${jobs2_s} s vs ${jobs1_s} s)|≥ 1.7×|$(nproc) cores|$(verdict "$jobs_ratio >= 1.7")")

# 2. The fleet: phones in one process, the embedded server in a child. If the open-files limit cannot hold DEVICES
#    phones (one file per phone in each process), fleet refuses
#    (exit 2) and names the largest count that fits: that count is measured too.
fleet() {
    local n=$1 start end status
    echo "== mmsim fleet --devices $n" >&2
    start=$(date +%s.%N)
    set +e
    $BIN fleet --devices "$n" --json "$OUT/fleet-$n.json" > "$OUT/fleet-$n.txt" 2> "$OUT/fleet-$n.err"
    status=$?
    set -e
    end=$(date +%s.%N)
    cat "$OUT/fleet-$n.txt" "$OUT/fleet-$n.err" >&2
    local wall
    wall=$(python3 -c "print(f'{$end - $start:.2f}')")
    if [[ $status -ne 2 && -s $OUT/fleet-$n.json ]]; then
        read -r per_phone sqlite detected p50 p99 peak login_s offline server_phone server_idle cpu_phones cpu_server cpu_both <<<"$(python3 - "$OUT/fleet-$n.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ph = {p['name']: p for p in r['phases']}
lat = ph['reconnect'].get('latency') or {'p50': 0, 'p99': 0}
print(f"{r['rssPerIdlePhoneBytes']/1024:.1f} {r['sqlitePerIdlePhoneBytes']/1024:.1f} {r['revocationsDetected']} "
      f"{lat['p50']:.1f} {lat['p99']:.1f} {r['peakRSSBytes']/1048576:.0f} {ph['login']['wallSeconds']:.1f} "
      f"{r['rssPerOfflinePhoneBytes']/1024:.1f} {(r.get('serverMemory') or {}).get('perIdlePhoneBytes', 0)/1024:.1f} "
      f"{(r.get('serverMemory') or {}).get('residentIdleBytes', 0)/1048576:.0f} "
      f"{r['cpuMillisPerPhone']:.2f} {(r.get('serverCPUSeconds') or 0)*1000/r['devices']:.2f} "
      f"{(r['cpuSeconds'] + (r.get('serverCPUSeconds') or 0))*1000/r['devices']:.2f}")
PY
)"
        rows+=("\`mmsim fleet --devices $n\` wall, whole process (exit $status)|${wall} s (login phase ${login_s} s)|≤ 5 s|—|$(verdict "$wall <= 5 and $status == 0")")
        rows+=("fleet $n: CPU per phone over the phases, both processes together|${cpu_both} ms|≤ 1 ms|phones' process ${cpu_phones} ms, server process ${cpu_server} ms|$(verdict "$cpu_both <= 1")")
        rows+=("fleet $n: RSS per idle phone (logged in, WebSocket open), phones' process|${per_phone} KiB (SQLite ${sqlite} KiB; ${offline} KiB once offline)|≤ 32 KiB|peak RSS ${peak} MiB; server process ${server_phone} KiB per phone, ${server_idle} MiB idle|$(verdict "$per_phone <= 32")")
        rows+=("fleet $n: revocations detected; detection latency p50 / p99|${detected}/${n}; ${p50} / ${p99} ms|all|—|$(verdict "$detected == $n")")
    else
        rows+=("\`mmsim fleet --devices $n\` (exit $status)|refused: $(sed -e 's/^mmsim: fleet: //' -e 's/|/\\|/g' "$OUT/fleet-$n.err" | tail -1)|≤ 5 s|—|**no**")
    fi
    return $status
}
if ! fleet "$DEVICES"; then
    fit=$(sed -n 's/.*use --devices \([0-9]*\) or fewer.*/\1/p' "$OUT/fleet-$DEVICES.err")
    [[ -n $fit ]] && fleet "$fit" || true
fi

# 2a. The floor under the fleet: the same exchanges per phone, the same libraries and client set-up, against a
#     server process that does no work (mmsim-bench floor). No phone model and no Mattermost logic can cost less.
echo "== floor: the fleet's exchanges with nothing behind them" >&2
floor=$("$BENCH" floor "$DEVICES" 64 2>/dev/null | tee "$OUT/floor.txt")
cat "$OUT/floor.txt" >&2
floor_value() { echo "$floor" | sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
rows+=("floor: $DEVICES phones × (6 HTTP + 1 WebSocket) against a do-nothing Hummingbird server (\`mmsim-bench floor\`), CPU per phone both processes|$(floor_value together_ms) ms (wall $(floor_value wall_s) s)|—|client $(floor_value client_ms) ms, server $(floor_value server_ms) ms: more than the fleet's 1 ms target on its own|—")

# 2b. Fleets beyond one machine, on one (bench/shards.sh): 3 shard processes side by side against one
#     `mmsim serve --users N`, their reports merged; a row checks the merged totals against the sum of the shards.
echo "== 3-shard merged run" >&2
shard_rows=$(BIN=$BIN bench/shards.sh "${SHARD_DEVICES:-3000}") \
    || shard_rows="3-shard merged run (bench/shards.sh)|failed: see bench/out/shards/|all detected, totals equal|—|**no**"
while IFS= read -r row; do rows+=("$row"); done <<<"$shard_rows"

# 3. GET /api/v4/users/me with a valid token, against a bare Hummingbird route of the same build and process
#    (bench/server.sh): 3 rounds, the round of median ratio is reported.
echo "== wrk: embedded server vs bare Hummingbird" >&2
read -r embedded_rps bare_rps ratio <<<"$(bench/server.sh 3 | tee "$OUT/server.txt" | python3 -c '
import sys
rounds = [dict(kv.split("=") for kv in line.split()) for line in sys.stdin if line.strip()]
r = sorted(rounds, key=lambda r: float(r["embedded"]) / float(r["bare"]))[len(rounds) // 2]
print(r["embedded"], r["bare"], r["ratio"])')"
cat "$OUT/server.txt" >&2
rows+=("embedded \`GET /api/v4/users/me\` (wrk -t1 -c32 10 s, median of 3 rounds)|${embedded_rps} req/s|≥ 70% of bare|bare Hummingbird route ${bare_rps} req/s (${ratio}%)|$(verdict "$ratio >= 70")")

# 4. The TUI: one frame of the pure render at 120×40.
echo "== render" >&2
render=$("$BENCH" render 5000)
render_us=$(echo "$render" | sed -n 's/.*median_us=\([0-9.]*\).*/\1/p')
render_p99=$(echo "$render" | sed -n 's/.*p99_us=\([0-9.]*\).*/\1/p')
rows+=("TUI frame render 120×40 (\`TerminalUI.render\`, median of 5000)|${render_us} µs (p99 ${render_p99} µs)|≤ 1 ms|—|$(verdict "$render_us <= 1000")")

# 5. The TUI idle in tmux: CPU over 10 s once it has settled.
echo "== TUI idle CPU" >&2
session=mmsim-bench-$$
tmux new-session -d -s "$session" -x 120 -y 40 "exec $BIN --ephemeral --port 0 --log-file $OUT/tui.log"
sleep 4
pid=$(tmux display -p -t "$session" '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); sleep 10; t1=$(ticks)
tmux send-keys -t "$session" F10 2>/dev/null || true
sleep 1; tmux kill-session -t "$session" 2>/dev/null || true
hz=$(getconf CLK_TCK)
idle=$(python3 -c "print(f'{100*($t1-$t0)/$hz/10:.2f}')")
rows+=("TUI idle CPU over 10 s (tmux 120×40)|${idle}%|< 0.5%|—|$(verdict "$idle < 0.5")")

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
swiftv=$(swift --version 2>&1 | head -1)
{
    echo "# mmsim benchmarks"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $swiftv; release build."
    echo "Reproduce: \`bench/run.sh\` (raw output in \`bench/out/\`)."
    echo
    echo "| benchmark | result | target | reference | met |"
    echo "| --- | --- | --- | --- | --- |"
    for row in "${rows[@]}"; do echo "| ${row//|/ | } |"; done
    echo
    cat bench/fleet-profile.md
} > bench/RESULTS.md
cat bench/RESULTS.md
