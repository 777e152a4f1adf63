#!/usr/bin/env bash
# Validates zonelint's SARIF for the example zones (findings in several files, related
# locations in others) twice: against the official SARIF 2.1.0 JSON schema, and with
# the SARIF Multitool's own `validate` rules, which must report no error.
#
# Both come from the npm package @microsoft/sarif-multitool-linux, installed into
# target/sarif-tools on first use; nothing of it is copied into the project.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=target/sarif-tools
multitool_pkg="$tools/node_modules/@microsoft/sarif-multitool-linux"
if [ ! -x "$multitool_pkg/Sarif.Multitool" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --silent \
        @microsoft/sarif-multitool-linux@5.7.0 >/dev/null
    # The package's postinstall would do this; npm may not run install scripts.
    chmod u+x "$multitool_pkg/Sarif.Multitool"
fi
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema

cargo build --release --locked --quiet
out=target/sarif-tools/examples.sarif
./target/release/zonelint check --allow-doc-ranges -i examples/inventory.yaml zones \
    --format sarif --output "$out" 2>/dev/null || true

python3 - "$multitool_pkg/sarif-2.1.0.json" "$out" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for e in errors:
    print(f"schema: {'/'.join(map(str, e.path))}: {e.message}")
results = log["runs"][0]["results"]
files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
related = sum(len(r.get("relatedLocations", [])) for r in results)
if len(files) < 2 or related == 0:
    print(f"the sample needs findings in two files and related locations: {files}, {related}")
    sys.exit(1)
if errors:
    sys.exit(1)
print(f"schema: valid ({len(results)} results in {len(files)} files, {related} related locations)")
PY

report=target/sarif-tools/validation.sarif
"$multitool_pkg/Sarif.Multitool" validate "$out" --output "$report" --log ForceOverwrite \
    | tee target/sarif-tools/validation.txt
if grep -q ': error ' target/sarif-tools/validation.txt; then
    echo "the SARIF Multitool reports errors" >&2
    exit 1
fi
echo "multitool: no error"
