#!/usr/bin/env bash
# GET /api/v4/users/me with a valid token: the embedded server vs a bare Hummingbird route of the same build,
# measured back to back in one process (wrk -t1 -c32 -d10s each). Prints one line per round:
#   embedded=RPS bare=RPS ratio=PCT
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
wrk_rps() {
    wrk -t1 -c32 -d"${2:-10s}" -H "Authorization: Bearer $BENCH_token" "http://127.0.0.1:$1/api/v4/users/me" \
        | tee -a "$OUT/wrk.txt" | awk '/Requests\/sec/ {print $2}'
}
: > "$OUT/wrk.txt"
wrk_rps "$BENCH_embedded" 2s >/dev/null  # warm up
for _ in $(seq "$ROUNDS"); do
    embedded=$(wrk_rps "$BENCH_embedded")
    bare=$(wrk_rps "$BENCH_bare")
    if grep -q Non-2xx "$OUT/wrk.txt"; then echo "bench/server.sh: some answers were not 200 (see $OUT/wrk.txt)" >&2; exit 1; fi
    echo "embedded=$embedded bare=$bare ratio=$(python3 -c "print(f'{100*$embedded/$bare:.0f}')")"
done
