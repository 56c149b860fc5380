#!/usr/bin/env bash
# paginate against the AWS SDK for Rust (aws-sdk-networkfirewall's
# into_paginator()), same local endpoint with --latency-ms 5, page size 100,
# the caller spending 5 ms per page in both; 20,000 flow operations.
# paginate uses prefetch(1); the SDK's paginator has no prefetch.
# Prints both figures and `bench: vs_aws_sdk_rust_with_work ratio=X`
# (paginate items/s over the SDK's). Builds tests/interop/sdk in release mode
# on first use (minutes: the SDK is large), in its own target directory.
set -euo pipefail
cd "$(dirname "$0")/../../.."
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q --release -j 2 -p network-firewall --bin list_flow_operations
CARGO_TARGET_DIR="$TARGET_DIR/interop-sdk" cargo build -q --release -j 2 --manifest-path tests/interop/sdk/Cargo.toml
WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
ARN="arn:aws:network-firewall:us-east-1:123456789012:firewall/versus"
python3 - "$ARN" >"$WORK/data.json" <<'PY'
import json, sys
ops = [{"FlowOperationId": "op-%08d" % i, "FlowOperationType": "FLOW_FLUSH",
        "FlowRequestTimestamp": 1733337353 - i, "FlowOperationStatus": "COMPLETED"} for i in range(20000)]
json.dump({"Firewalls": [{"FirewallArn": sys.argv[1], "FlowOperations": ops}]}, sys.stdout)
PY
target/release/list_flow_operations serve --port 0 --latency-ms 5 --data "$WORK/data.json" >"$WORK/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do grep -qs "listening on" "$WORK/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$WORK/serve.out")
ours=$(VERSUS_URL="$URL" VERSUS_ARN="$ARN" VERSUS_PAGE_SIZE=100 VERSUS_WORK_MS=5 cargo bench -q -j 2 -p network-firewall --bench versus_sdk | tail -1)
sdk=$("$TARGET_DIR/interop-sdk/release/interop-sdk" bench "$URL" "$ARN" 100 5 | tail -1)
read -r _ items_o _ secs_o <<<"$ours"
read -r _ items_s _ secs_s <<<"$sdk"
[ "$items_o" -eq 20000 ] && [ "$items_s" -eq 20000 ] || { echo "listed $items_o / $items_s of 20000" >&2; exit 1; }
printf "paginate prefetch(1): %6.0f items/s (%.2f s)\n" "$(echo "$items_o / $secs_o" | bc -l)" "$secs_o"
printf "aws-sdk-networkfirewall: %6.0f items/s (%.2f s)\n" "$(echo "$items_s / $secs_s" | bc -l)" "$secs_s"
printf "bench: vs_aws_sdk_rust_with_work ratio=%.3f\n" "$(echo "($items_o / $secs_o) / ($items_s / $secs_s)" | bc -l)"
