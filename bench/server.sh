#!/usr/bin/env bash
# GET /api/v4/users/me with a valid token: the embedded server vs a bare Hummingbird route of the same build,
# measured back to back in one process (wrk -t1 -c32 -d10s each). Prints one line per round:
#   embedded=RPS bare=RPS ratio=PCT embedded_cpu_us=US bare_cpu_us=US   (server CPU time per request)
#   bench/server.sh [ROUNDS]     # default 1; bench/run.sh calls it. Needs wrk and a release mmsim-bench
#   BENCH=/path/to/mmsim-bench bench/server.sh 3    # another build
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-$PWD/.build/release/mmsim-bench}
OUT=$PWD/bench/out
mkdir -p "$OUT"
ROUNDS=${1:-1}
coproc SERVERS { exec "$BENCH" servers; }
trap 'kill "$SERVERS_PID" 2>/dev/null || true' EXIT
read -r line <&"${SERVERS[0]}"
eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/BENCH_/')"  # BENCH_embedded, BENCH_bare, BENCH_token
ticks() { awk '{print $14 + $15}' "/proc/$SERVERS_PID/stat"; }
HZ=$(getconf CLK_TCK)
# Prints "RPS CPU_US_PER_REQUEST": the server process's CPU time per answer is steadier than req/s while
# other work shares the machine.
wrk_rps() {
    local t0 t1 out
    t0=$(ticks)
    out=$(wrk -t1 -c32 -d"${2:-10s}" -H "Authorization: Bearer $BENCH_token" "http://127.0.0.1:$1/api/v4/users/me")
    t1=$(ticks)
    echo "$out" >> "$OUT/wrk.txt"
    echo "$out" | python3 -c "
import re, sys
text = sys.stdin.read()
rps = float(re.search(r'Requests/sec:\s*([0-9.]+)', text).group(1))
total = int(re.search(r'([0-9]+) requests in', text).group(1))
print(rps, round(($t1 - $t0) / $HZ * 1e6 / total, 1))"
}
: > "$OUT/wrk.txt"
wrk_rps "$BENCH_embedded" 2s >/dev/null  # warm up
for _ in $(seq "$ROUNDS"); do
    read -r embedded embedded_cpu <<<"$(wrk_rps "$BENCH_embedded")"
    read -r bare bare_cpu <<<"$(wrk_rps "$BENCH_bare")"
    if grep -q Non-2xx "$OUT/wrk.txt"; then echo "bench/server.sh: some answers were not 200 (see $OUT/wrk.txt)" >&2; exit 1; fi
    echo "embedded=$embedded bare=$bare ratio=$(python3 -c "print(f'{100*$embedded/$bare:.0f}')")" \
         "embedded_cpu_us=$embedded_cpu bare_cpu_us=$bare_cpu"
done
