#!/usr/bin/env bash
# Fuzzes zonelint with cargo-fuzz (needs a nightly toolchain: `rustup toolchain install
# nightly`, `cargo install cargo-fuzz`).
#
#   scripts/fuzz.sh TARGET SECONDS [JOBS]     e.g. scripts/fuzz.sh pipeline 1800 2
#
# The working corpus (fuzz/corpus/TARGET, not committed) starts from the seeds in
# fuzz/seeds/TARGET and, when ../shared/corpus exists, from other projects' zone files
# (copied into the working corpus only, never into the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target: parse or pipeline}
seconds=${2:-600}
jobs=${3:-1}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
if [ -d "fuzz/seeds/$target" ]; then
    cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
fi
if [ -d ../shared/corpus ]; then
    find ../shared/corpus -type f ! -name MANIFEST.md | while read -r f; do
        cp -n "$f" "$corpus/shared-$(echo "$f" | tr '/' '_')" 2>/dev/null || true
    done
fi
cargo +nightly fuzz run "$target" "$corpus" -- \
    -dict=fuzz/dict/zone.dict -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2048 -jobs="$jobs" -workers="$jobs"
