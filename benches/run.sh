#!/usr/bin/env bash
# The benchmarks, each printing its figures and, last, `bench: NAME ratio=X`
# lines (ratios within one run on this machine):
#   overhead  items() against a hand-written loop, blocking and async, page sizes 10/100/1000
#   concurrency  prefetch(1) against sequential paging when service and caller take equal time;
#                parallel(8) pages of an offset listing against one page at a time;
#                8 listings fanned out against one after another
#   checkpoint  a checkpoint (ack) per page against the same listing without, the service taking 5 ms a page
#   workers   4 workers against 1 sharing one job of 40 listings through PostgreSQL (a throwaway cluster on
#             127.0.0.1), the service taking 5 ms a page
#   chaos     K = 1, 2, 4 worker processes sharing 1,000 listings through PostgreSQL, one killed with SIGKILL
#             every 2 s, against a service that throttles, fails and expires tokens (tests/chaos/README.md;
#             not in the default run)
#   load      concurrent signed clients against the local endpoint (requests/s, p50/p99, memory)
#   scale     list_flow_operations and the endpoint over 10k and 1M flow operations
#             (examples/network-firewall/benches/scale.sh)
#   flood     the endpoint in a child process under a flood (FLOOD=idle here by default, or body, forged;
#             examples/network-firewall/benches/flood.rs; not in the default run)
#   sdk       paginate with prefetch(1) against aws-sdk-networkfirewall's paginator (examples/network-firewall/benches/versus_sdk.sh;
#             builds the SDK on first use, which takes minutes)
# Usage: bash benches/run.sh [overhead|concurrency|checkpoint|workers|chaos|load|flood|scale|sdk ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(overhead concurrency checkpoint workers load scale sdk)
for bench in "${benches[@]}"; do
    echo "== $bench"
    case "$bench" in
        scale) bash examples/network-firewall/benches/scale.sh ;;
        sdk) bash examples/network-firewall/benches/versus_sdk.sh ;;
        chaos) cargo run -q --release -j 2 -p paginate-chaos ;;
        load) cargo bench -q -j 2 -p network-firewall --bench load ;;
        flood) FLOOD="${FLOOD:-idle}" cargo bench -q -j 2 -p network-firewall --bench flood ;;
        *) cargo bench -q -j 2 --all-features --bench "$bench" ;;
    esac
done
