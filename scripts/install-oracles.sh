#!/usr/bin/env bash
# Installs the DNS servers' own checkers that tests compare zonelint with, from
# Debian's packages, when apt-get is there and they are not installed yet.
set -euo pipefail
declare -A package=(
    [named-checkconf]=bind9-utils
    [named-checkzone]=bind9-utils
    [nsd-checkconf]=nsd
    [knotc]=knot
    [kzonecheck]=knot-dnssecutils
)
missing=()
for tool in "${!package[@]}"; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
        missing+=("${package[$tool]}")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: no apt-get; tests that need ${missing[*]} will skip (and fail under CI=true)" >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
