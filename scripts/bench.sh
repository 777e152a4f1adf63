#!/usr/bin/env bash
# Times the release zonelint on a genzone.py zone set next to the peer checkers that
# are installed (Debian: validns, knot-dnssecutils, bind9-utils), runs alternating so
# all tools see the same machine state, and prints medians of wall time, CPU time
# (user+sys) and peak RSS, zonelint's speed-up over each peer, and zonelint's own
# stage table (`check --timings`) for each workload:
#
#   the forward zone, the ip6.arpa zone, the whole set (13 files, every default rule).
#
#   scripts/bench.sh [RECORDS] [RUNS]      defaults: 1000000 records, 5 runs
#   BENCH_LINEAR=10000000 scripts/bench.sh  also time a zone that many records long and
#                                           compare time and RSS per byte (linearity)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
runs=${2:-5}
gen=../shared/bench/genzone.py
make_set() {
    local n=$1
    local dir=target/bench-zones/$n
    if [ ! -f "$dir/example.test.zone" ]; then
        [ -f "$gen" ] || { echo "no $dir and no $gen to make it" >&2; exit 2; }
        python3 "$gen" --records "$n" >/dev/null
    fi
    echo "$dir"
}
dir=$(make_set "$records")
cargo build --release --quiet
zl=target/release/zonelint
forward=$dir/example.test.zone
ip6=$(ls "$dir"/*.ip6.arpa.zone | head -1)
ip6_origin=$(basename "$ip6" .zone).

measure=$(mktemp)
trap 'rm -f "$measure"' EXIT
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bench NAME SIZE CMD... : runs every "tool=command" pair RUNS times, alternating. The
# order turns by one each round: on the project's virtual machines a run right after a
# large process (validns takes 300 MiB) was measurably slower, and a fixed order would
# charge that to whichever tool always comes next.
bench() {
    local title=$1 size=$2
    shift 2
    declare -A t c m
    local i j pair tool cmd
    local pairs=("$@")
    local n=${#pairs[@]}
    for ((i = 0; i < runs; i++)); do
        for ((j = 0; j < n; j++)); do
            pair=${pairs[$(((i + j) % n))]}
            tool=${pair%%=*}
            cmd=${pair#*=}
            # Exit status 1 means findings, not failure: only the measurement matters.
            /usr/bin/time -o "$measure" -f "%e %U %S %M" $cmd >/dev/null 2>&1 || true
            read -r wall user sys mem < <(tail -1 "$measure")
            t[$tool]+="$wall "
            c[$tool]+="$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') "
            m[$tool]+="$mem "
        done
    done
    echo "== $title ($size bytes, $runs runs, alternating)"
    printf '%-16s %9s %9s %9s %8s\n' tool "wall s" "cpu s" "peak MiB" "×size"
    local zw zc
    zw=$(echo "${t[zonelint]}" | median)
    zc=$(echo "${c[zonelint]}" | median)
    for pair in "$@"; do
        tool=${pair%%=*}
        local w cpu mem
        w=$(echo "${t[$tool]}" | median)
        cpu=$(echo "${c[$tool]}" | median)
        mem=$(echo "${m[$tool]}" | median)
        awk -v w="$w" -v c="$cpu" -v m="$mem" -v s="$size" -v n="$tool" -v zw="$zw" -v zc="$zc" 'BEGIN {
            printf "%-16s %9.3f %9.3f %9.1f %8.2f", n, w, c, m / 1024, m * 1024 / s
            if (n != "zonelint") printf "   zonelint: %.1fx faster, %.1fx less CPU", w / zw, c / zc
            printf "\n" }'
    done
}

# zonelint's own stage table for one run (exit status 1 means findings).
timings() {
    "$zl" check --timings --format concise "$1" 2>&1 >/dev/null || true
}

peers() {
    local origin=$1 file=$2
    command -v validns >/dev/null && echo "validns=validns -z $origin $file"
    command -v kzonecheck >/dev/null && echo "kzonecheck=kzonecheck -o $origin $file"
    command -v named-checkzone >/dev/null && echo "named-checkzone=named-checkzone $origin $file"
}

mapfile -t fwd_peers < <(peers example.test. "$forward")
bench "forward zone" "$(stat -c %s "$forward")" "zonelint=$zl check --format concise $forward" "${fwd_peers[@]}"
timings "$forward"
echo
mapfile -t ip6_peers < <(peers "$ip6_origin" "$ip6")
bench "ip6.arpa zone" "$(stat -c %s "$ip6")" "zonelint=$zl check --format concise $ip6" "${ip6_peers[@]}"
timings "$ip6"
echo
set_size=$(cat "$dir"/*.zone | wc -c)
bench "whole set" "$set_size" "zonelint=$zl check --format concise $dir"
timings "$dir"

if [ -n "${BENCH_LINEAR:-}" ]; then
    big=$(make_set "$BENCH_LINEAR")/example.test.zone
    echo
    bench "forward zone, $BENCH_LINEAR records" "$(stat -c %s "$big")" "zonelint=$zl check --format concise $big"
fi
