#!/usr/bin/env bash
# Times the release zonelint on a genzone.py zone next to the peer checkers that are
# installed (Debian: bind9-utils, knot-dnssecutils, validns), runs interleaved so all
# tools see the same machine state, and prints the median wall time, peak RSS and
# zonelint's speed-up over each peer.
#
#   scripts/bench.sh [RECORDS] [RUNS]      defaults: 1000000 records, 5 runs
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
runs=${2:-5}
gen=../shared/bench/genzone.py
dir=target/bench-zones/$records
zone=$dir/example.test.zone
if [ ! -f "$zone" ]; then
  [ -f "$gen" ] || { echo "no $zone and no $gen to make it" >&2; exit 2; }
  python3 "$gen" --records "$records" >/dev/null
fi
cargo build --release --quiet
size=$(stat -c %s "$zone")

declare -A cmds=(
  [zonelint]="target/release/zonelint check --format concise $zone"
)
command -v validns >/dev/null && cmds[validns]="validns -z example.test. $zone"
command -v kzonecheck >/dev/null && cmds[kzonecheck]="kzonecheck -o example.test. $zone"
command -v named-checkzone >/dev/null && cmds[named-checkzone]="named-checkzone example.test. $zone"

declare -A times mems
measure=$(mktemp)
trap 'rm -f "$measure"' EXIT
for ((i = 0; i < runs; i++)); do
  for tool in "${!cmds[@]}"; do
    # Exit status 1 means findings, not failure: only the timing matters here.
    /usr/bin/time -o "$measure" -f "%e %M" ${cmds[$tool]} >/dev/null 2>&1 || true
    read -r t m < <(tail -1 "$measure")
    times[$tool]+="$t "
    mems[$tool]+="$m "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
zl=$(echo "${times[zonelint]}" | median)
printf '%-16s %9s %10s %9s %8s\n' tool "median s" "MB/s" "peak MB" "×size"
for tool in zonelint validns kzonecheck named-checkzone; do
  [ -n "${times[$tool]:-}" ] || continue
  t=$(echo "${times[$tool]}" | median)
  m=$(echo "${mems[$tool]}" | tr ' ' '\n' | sort -n | tail -1)
  awk -v t="$t" -v m="$m" -v s="$size" -v n="$tool" -v z="$zl" 'BEGIN {
    printf "%-16s %9.3f %10.1f %9.1f %8.2f", n, t, s / t / 1e6, m / 1024, m * 1024 / s
    if (n != "zonelint") printf "   zonelint is %.1fx faster", t / z
    printf "\n" }'
done
echo "zone: $zone ($size bytes), $runs runs each, interleaved"

# The whole generated set: the forward zone and its reverse zones, every rule.
set_size=$(cat "$dir"/*.zone | wc -c)
set_times=""
set_mem=0
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -o "$measure" -f "%e %M" target/release/zonelint check --format concise "$dir" >/dev/null 2>&1 || true
  read -r t m < <(tail -1 "$measure")
  set_times+="$t "
  ((m > set_mem)) && set_mem=$m
done
t=$(echo "$set_times" | median)
awk -v t="$t" -v m="$set_mem" -v s="$set_size" 'BEGIN {
  printf "zone set         %9.3f %10.1f %9.1f %8.2f   (%d bytes in all)\n", t, s / t / 1e6, m / 1024, m * 1024 / s, s }'

