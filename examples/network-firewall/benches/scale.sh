#!/usr/bin/env bash
# Scale: the local endpoint and list_flow_operations over a firewall of 10k
# and of 1M flow operations (release builds, loopback, page size 100).
# Prints peak resident memory of list_flow_operations (it streams its output)
# and the endpoint's time per page, then
#   bench: memory_1m_vs_10k ratio=X
#   bench: endpoint_1m_vs_10k_per_page ratio=X
# Usage: bash examples/network-firewall/benches/scale.sh   (SCALE_BIG=N to change the large size)
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build -q --release -j 2 -p network-firewall --bin list_flow_operations
BIN=target/release/list_flow_operations
WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
ARN="arn:aws:network-firewall:us-east-1:123456789012:firewall/scale"
export AWS_ACCESS_KEY_ID=AKIDPAGINATEDEMO AWS_SECRET_ACCESS_KEY=paginate-demo-secret AWS_REGION=us-east-1

# measure N: prints "peak_kib seconds pages"
measure() {
    local n=$1 data="$WORK/data-$1.json" port
    python3 - "$n" "$ARN" >"$data" <<'PY'
import json, sys
n, arn = int(sys.argv[1]), sys.argv[2]
out = sys.stdout
out.write('{"Firewalls": [{"FirewallArn": %s, "FlowOperations": [' % json.dumps(arn))
for i in range(n):
    if i:
        out.write(',')
    out.write('{"FlowOperationId": "op-%010d", "FlowOperationType": "FLOW_FLUSH", '
              '"FlowRequestTimestamp": %d, "FlowOperationStatus": "COMPLETED"}' % (i, 1733337353 - i))
out.write(']}]}')
PY
    "$BIN" serve --port 0 --data "$data" >"$WORK/serve.out" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 600); do grep -qs "listening on" "$WORK/serve.out" && break; sleep 0.1; done
    local url
    url=$(sed -n 's/^listening on //p' "$WORK/serve.out")
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$BIN" --endpoint-url "$url" --firewall-arn "$ARN" --page-size 100 >"$WORK/out.json"
    end=$(date +%s.%N)
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    local items
    items=$(grep -c '"FlowOperationId"' "$WORK/out.json")
    [ "$items" -eq "$n" ] || { echo "listed $items of $n operations" >&2; exit 1; }
    echo "$(cat "$WORK/rss") $(echo "$end - $start" | bc -l) $(( (n + 99) / 100 ))"
}

small=10000
big=${SCALE_BIG:-1000000}
read -r rss_s secs_s pages_s <<<"$(measure $small)"
read -r rss_b secs_b pages_b <<<"$(measure "$big")"
per_page_s=$(echo "$secs_s / $pages_s * 1000" | bc -l)
per_page_b=$(echo "$secs_b / $pages_b * 1000" | bc -l)
printf "%8d operations: peak %6.1f MiB, %6.2f s, %.3f ms per page\n" "$small" "$(echo "$rss_s/1024" | bc -l)" "$secs_s" "$per_page_s"
printf "%8d operations: peak %6.1f MiB, %6.2f s, %.3f ms per page\n" "$big" "$(echo "$rss_b/1024" | bc -l)" "$secs_b" "$per_page_b"
printf "bench: memory_1m_vs_10k ratio=%.3f\n" "$(echo "$rss_b / $rss_s" | bc -l)"
printf "bench: endpoint_1m_vs_10k_per_page ratio=%.3f\n" "$(echo "$per_page_b / $per_page_s" | bc -l)"
