#!/usr/bin/env bash
# Interop check: `list_flow_operations` against the AWS CLI v1
# and the AWS SDK for Rust.
#
#   bash tests/interop/run.sh
#
# 1. Against tests/interop/independent_server.py (an endpoint written apart
#    from ours): the AWS CLI and our binary print byte-identical stdout for a
#    matrix of flags, step by step along --starting-token chains, and resume
#    tokens work across the two tools in both directions.
# 2. Against `list_flow_operations serve`: the AWS CLI lists the demo
#    firewalls completely at several page sizes and along --max-items chains,
#    and is refused with a wrong secret key or an unknown access key.
# 3. Error behaviour of our binary: one line on stderr, nonzero exit, no panic.
# 4. The AWS SDK for Rust (tests/interop/sdk) paginates our endpoint.
#
# Environment: INTEROP_VENV (default target/interop-venv) is where awscli is
# installed (reused when present); INTEROP_JOBS (default 2) is how many
# output comparisons run at once; INTEROP_SDK=0 skips the SDK check;
# INTEROP_BIN=PATH checks that list_flow_operations binary instead of building
# the debug example.
# Prints PASS/FAIL per check and ends with `interop: N passed, M failed`;
# exits nonzero if anything failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/tests/interop"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${INTEROP_VENV:-$TARGET_DIR/interop-venv}"
SDK_TARGET_DIR="$TARGET_DIR/interop-sdk"
PYTHON="${PYTHON:-python3}"
STARTED=$SECONDS

WORK="$(mktemp -d "${TMPDIR:-/tmp}/interop.XXXXXX")"
SERVER_PIDS=()
cleanup() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
# The same_output checks run in the background, INTEROP_JOBS at once (the AWS
# CLI's start-up is most of their time); their lines are printed, in the order
# they started, before anything else is.
JOBS_AT_ONCE="${INTEROP_JOBS:-2}"
JOB_PIDS=()
JOB_OUTS=()
# drain: waits for the checks in the background, prints and counts their lines.
drain() {
    local i out rc passed failed
    for i in "${!JOB_PIDS[@]}"; do
        rc=0
        wait "${JOB_PIDS[$i]}" || rc=$?
        out="${JOB_OUTS[$i]}"
        cat "$out"
        passed="$(grep -c '^PASS ' "$out" || true)"
        failed="$(grep -c '^FAIL ' "$out" || true)"
        if [[ $passed -eq 0 && $failed -eq 0 ]]; then
            echo "FAIL a check in the background ended (exit $rc) without saying PASS or FAIL"
            failed=1
        fi
        PASSED=$((PASSED + passed))
        FAILED=$((FAILED + failed))
    done
    JOB_PIDS=()
    JOB_OUTS=()
}
# In a background check (IN_JOB set) these only print; drain counts them.
pass() {
    [[ -n "${IN_JOB:-}" ]] || drain
    PASSED=$((PASSED + 1))
    echo "PASS $*"
}
fail() {
    [[ -n "${IN_JOB:-}" ]] || drain
    FAILED=$((FAILED + 1))
    echo "FAIL $*"
}
note() {
    [[ -n "${IN_JOB:-}" ]] || drain
    echo "---- $*"
}
# Shows a file indented, at most 40 lines.
show() { sed -e 's/^/    | /' "$1" | head -n 40; }

# ---------------------------------------------------------------- setup
T0=$SECONDS
if [[ ! -x "$VENV/bin/aws" ]]; then
    note "installing awscli (v1) into $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "awscli==1.46.3"
fi
AWS="$VENV/bin/aws"
note "$("$AWS" --version 2>&1) (venv ready in $((SECONDS - T0))s)"

export AWS_ACCESS_KEY_ID=AKIDPAGINATEDEMO
export AWS_SECRET_ACCESS_KEY=paginate-demo-secret
unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_ENDPOINT_URL \
    AWS_ENDPOINT_URL_NETWORK_FIREWALL AWS_MAX_ATTEMPTS AWS_RETRY_MODE AWS_CA_BUNDLE || true
export AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
: >"$WORK/aws-config"
: >"$WORK/aws-credentials"
export AWS_CONFIG_FILE="$WORK/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
# An AWS CLI config that prints timestamps as ISO 8601 (v1 has no flag for it).
printf '[default]\ncli_timestamp_format = iso8601\n' >"$WORK/aws-config-iso8601"

if [[ -n "${INTEROP_BIN:-}" ]]; then
    BIN="$INTEROP_BIN"
    note "using INTEROP_BIN=$BIN (not building)"
else
    T0=$SECONDS
    cargo build -j 2 --quiet -p network-firewall --bin list_flow_operations
    BIN="$TARGET_DIR/debug/list_flow_operations"
    note "built $BIN in $((SECONDS - T0))s"
fi

# start_server NAME CMD... : runs CMD in the background, waits for its
# `listening on URL` line and sets SERVER_URL (its output is in $WORK/NAME.out).
start_server() {
    local name=$1 line="" i
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    SERVER_PIDS+=($!)
    for i in $(seq 1 300); do
        if [[ "$(wc -l <"$WORK/$name.out")" -ge 1 ]]; then
            line="$(head -n 1 "$WORK/$name.out")"
            break
        fi
        kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || break
        sleep 0.1
    done
    if [[ "$line" != "listening on http://"* ]]; then
        echo "cannot start $name: $line" >&2
        show "$WORK/$name.err" >&2
        exit 1
    fi
    SERVER_URL="${line#listening on }"
}

# ids FILE : the FlowOperationIds of a CLI document, one JSON string a line.
ids() {
    "$PYTHON" -c 'import json,sys
for op in json.load(open(sys.argv[1], encoding="utf-8")).get("FlowOperations", []):
    print(json.dumps(op["FlowOperationId"]))' "$1"
}
# next_token FILE : the document's NextToken, or nothing.
next_token() {
    "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8")).get("NextToken") or "")' "$1"
}

# run_aws OUT ARGS... / run_ours OUT ARGS... : one listing each, stdout to OUT,
# stderr to OUT.err; returns the exit status. URL and ARN come from globals.
run_aws() {
    local out=$1
    shift
    "$AWS" network-firewall list-flow-operations --endpoint-url "$URL" --firewall-arn "$ARN" "$@" \
        >"$out" 2>"$out.err"
}
run_ours() {
    local out=$1
    shift
    "$BIN" --endpoint-url "$URL" --region us-east-1 --firewall-arn "$ARN" "$@" >"$out" 2>"$out.err"
}

N=0
# same_output NAME ARGS... : AWS CLI and our binary print byte-identical
# stdout; checked in the background (see drain), with URL and ARN as they are
# when it is called.
same_output() {
    if [[ ${#JOB_PIDS[@]} -ge $JOBS_AT_ONCE ]]; then
        drain
    fi
    local out="$WORK/job.$N.out"
    (
        IN_JOB=1
        check_same_output "$@"
    ) >"$out" 2>&1 &
    JOB_PIDS+=($!)
    JOB_OUTS+=("$out")
    N=$((N + 1)) # as check_same_output does in the background
}
check_same_output() {
    local name=$1 a b rc_a=0 rc_b=0 count
    shift
    N=$((N + 1))
    a="$WORK/same$N.aws.json" b="$WORK/same$N.ours.json"
    run_aws "$a" "$@" || rc_a=$?
    run_ours "$b" "$@" || rc_b=$?
    if [[ $rc_a -ne 0 || $rc_b -ne 0 ]]; then
        fail "$name: exit status aws=$rc_a ours=$rc_b"
        show "$a.err"
        show "$b.err"
    elif cmp -s "$a" "$b"; then
        if count="$(ids "$a" 2>/dev/null | wc -l)"; then
            pass "$name: identical output ($count operations)"
        else
            pass "$name: identical output ($(wc -l <"$a") lines)"
        fi
    else
        fail "$name: output differs (diff aws ours):"
        diff -u --label aws --label ours "$a" "$b" | head -n 60 | sed -e 's/^/    | /' || true
    fi
}

# step_chain NAME ARGS... : follows the --starting-token chain of a
# --max-items listing; at each step both tools get the same token and must
# print byte-identical output. The union must be the full listing.
step_chain() {
    local name=$1 token="" step=0 a b ok=1 rc_a rc_b
    shift
    : >"$WORK/chain.ids"
    while :; do
        step=$((step + 1))
        a="$WORK/step.aws.json" b="$WORK/step.ours.json" rc_a=0 rc_b=0
        if [[ -n "$token" ]]; then
            run_aws "$a" "$@" --starting-token "$token" || rc_a=$?
            run_ours "$b" "$@" --starting-token "$token" || rc_b=$?
        else
            run_aws "$a" "$@" || rc_a=$?
            run_ours "$b" "$@" || rc_b=$?
        fi
        if [[ $rc_a -ne 0 || $rc_b -ne 0 ]]; then
            fail "$name: step $step: exit status aws=$rc_a ours=$rc_b"
            show "$a.err"
            show "$b.err"
            ok=0
            break
        fi
        if ! cmp -s "$a" "$b"; then
            fail "$name: step $step (token ${token:-none}): output differs (diff aws ours):"
            diff -u --label aws --label ours "$a" "$b" | head -n 60 | sed -e 's/^/    | /' || true
            ok=0
            break
        fi
        ids "$a" >>"$WORK/chain.ids"
        token="$(next_token "$a")"
        [[ -z "$token" ]] && break
        if [[ $step -ge 200 ]]; then
            fail "$name: no end after $step steps"
            ok=0
            break
        fi
    done
    [[ $ok -eq 1 ]] || return 0
    CHAIN_STEPS=$step
    if cmp -s "$WORK/chain.ids" "$WORK/full.ids"; then
        pass "$name: $step steps identical, union = full listing ($(wc -l <"$WORK/full.ids") operations, each once)"
    else
        fail "$name: union of the $step steps differs from the full listing (diff full chain):"
        diff "$WORK/full.ids" "$WORK/chain.ids" | head -n 20 | sed -e 's/^/    | /' || true
    fi
}

# alt_chain NAME FIRST ARGS... : follows a --max-items chain alternating the
# two tools (FIRST = aws or ours starts), each resuming from the other's
# NextToken; the union must equal the full listing, each operation once.
alt_chain() {
    local name=$1 tool=$2 token="" step=0 out rc
    shift 2
    : >"$WORK/alt.ids"
    while :; do
        step=$((step + 1))
        out="$WORK/alt.$step.json" rc=0
        if [[ -n "$token" ]]; then
            "run_$tool" "$out" "$@" --starting-token "$token" || rc=$?
        else
            "run_$tool" "$out" "$@" || rc=$?
        fi
        if [[ $rc -ne 0 ]]; then
            fail "$name: step $step ($tool, token ${token:-none}) exited $rc"
            show "$out.err"
            return 0
        fi
        ids "$out" >>"$WORK/alt.ids"
        token="$(next_token "$out")"
        [[ -z "$token" ]] && break
        if [[ $step -ge 200 ]]; then
            fail "$name: no end after $step steps"
            return 0
        fi
        if [[ $tool == aws ]]; then tool=ours; else tool=aws; fi
    done
    local dups
    dups="$(sort "$WORK/alt.ids" | uniq -d | wc -l)"
    if cmp -s "$WORK/alt.ids" "$WORK/full.ids"; then
        pass "$name: $step steps, union = full listing ($(wc -l <"$WORK/full.ids") operations, each once, in order)"
    else
        fail "$name: union of $step steps ($(wc -l <"$WORK/alt.ids") ids, $dups duplicated) differs from the full listing ($(wc -l <"$WORK/full.ids")):"
        diff "$WORK/full.ids" "$WORK/alt.ids" | head -n 20 | sed -e 's/^/    | /' || true
    fi
}

# full_listing ARGS... : our binary's complete listing -> $WORK/full.json, full.ids
full_listing() {
    if ! run_ours "$WORK/full.json" "$@"; then
        fail "full listing ($*) with our binary failed"
        show "$WORK/full.json.err"
        return 1
    fi
    ids "$WORK/full.json" >"$WORK/full.ids"
}

# table_token FILE : the NextToken row of an `--output table` (no colour), or nothing.
table_token() {
    "$PYTHON" -c 'import re,sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\|\s*NextToken\s*\|\s*(\S+)\s*\|$", line.rstrip("\n"))
    if m:
        print(m.group(1))
        break' "$1"
}

# table_chain NAME ARGS... : step_chain for `--output table`: at each step
# both tools get the token from the AWS CLI's NextToken row and must print
# byte-identical tables; the chain must take as many steps as the JSON chain
# of the same flags just run (CHAIN_STEPS).
table_chain() {
    local name=$1 token="" step=0 a b rc_a rc_b expected=${CHAIN_STEPS:-0}
    shift
    while :; do
        step=$((step + 1))
        a="$WORK/tstep.aws.txt" b="$WORK/tstep.ours.txt" rc_a=0 rc_b=0
        if [[ -n "$token" ]]; then
            run_aws "$a" --output table "$@" --starting-token "$token" || rc_a=$?
            run_ours "$b" --output table "$@" --starting-token "$token" || rc_b=$?
        else
            run_aws "$a" --output table "$@" || rc_a=$?
            run_ours "$b" --output table "$@" || rc_b=$?
        fi
        if [[ $rc_a -ne 0 || $rc_b -ne 0 ]]; then
            fail "$name: step $step: exit status aws=$rc_a ours=$rc_b"
            show "$a.err"
            show "$b.err"
            return 0
        fi
        if ! cmp -s "$a" "$b"; then
            fail "$name: step $step (token ${token:-none}): output differs (diff aws ours):"
            diff -u --label aws --label ours "$a" "$b" | head -n 60 | sed -e 's/^/    | /' || true
            return 0
        fi
        token="$(table_token "$a")"
        [[ -z "$token" ]] && break
        if [[ $step -ge 200 ]]; then
            fail "$name: no end after $step steps"
            return 0
        fi
    done
    if [[ $step -eq $expected ]]; then
        pass "$name: $step steps identical, as many as the JSON chain"
    else
        fail "$name: $step steps identical, but the JSON chain took $expected"
    fi
}

# same_output_tty COLUMNS NAME ARGS... : same_output with stdout a terminal
# of COLUMNS columns (a pseudo-terminal: the table's width and `--color auto`
# follow it).
same_output_tty() {
    local cols=$1 name=$2 a b rc_a=0 rc_b=0
    shift 2
    N=$((N + 1))
    a="$WORK/tty$N.aws.txt" b="$WORK/tty$N.ours.txt"
    on_tty "$cols" "$a" "$AWS" network-firewall list-flow-operations --endpoint-url "$URL" --firewall-arn "$ARN" "$@" || rc_a=$?
    on_tty "$cols" "$b" "$BIN" --endpoint-url "$URL" --region us-east-1 --firewall-arn "$ARN" "$@" || rc_b=$?
    if [[ $rc_a -ne 0 || $rc_b -ne 0 ]]; then
        fail "$name: exit status aws=$rc_a ours=$rc_b"
        show "$a.err"
        show "$b.err"
    elif cmp -s "$a" "$b"; then
        pass "$name: identical output on a $cols-column terminal ($(wc -l <"$a") lines)"
    else
        fail "$name: output on a $cols-column terminal differs (diff aws ours, cat -v):"
        diff -u --label aws --label ours <(cat -v "$a") <(cat -v "$b") | head -n 60 | sed -e 's/^/    | /' || true
    fi
}

# on_tty COLUMNS OUT CMD... : runs CMD with a pseudo-terminal of COLUMNS columns
# as stdin and stdout; what it wrote to the terminal goes to OUT, its stderr
# to OUT.err (not the terminal, where our progress line could land).
on_tty() {
    local cols=$1 out=$2
    shift 2
    "$PYTHON" -c 'import fcntl,os,pty,struct,sys,termios
cols, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    err = os.open(out + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(err, 2)
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("hhhh", 24, cols, 0, 0))
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(out, "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(status))' "$cols" "$out" "$@"
}

# ours_fails NAME ARGS... : our binary must exit nonzero with exactly one line
# on stderr (no panic) and nothing on stdout; prints that line.
ours_fails() {
    local name=$1 out="$WORK/err.json" rc=0 lines
    shift
    run_ours "$out" "$@" || rc=$?
    lines="$(wc -l <"$out.err")"
    if [[ $rc -eq 0 ]]; then
        fail "$name: our binary exited 0"
    elif grep -q panicked "$out.err"; then
        fail "$name: our binary panicked (exit $rc)"
        show "$out.err"
    elif [[ $lines -ne 1 || -s "$out" ]]; then
        fail "$name: expected one stderr line and no stdout, got $lines stderr lines, $(wc -c <"$out") stdout bytes (exit $rc)"
        show "$out.err"
    else
        pass "$name: exit $rc, $(cat "$out.err")"
    fi
}

# same_output_formats NAME ARGS... : same_output with --output json, text and table.
same_output_formats() {
    local name=$1 output
    shift
    for output in json text table; do
        same_output "$name (--output $output)" --output "$output" "$@"
    done
}

# aws_fails NAME PATTERN ARGS... : the AWS CLI must exit nonzero, stderr matching PATTERN.
aws_fails() {
    local name=$1 pattern=$2 out="$WORK/awserr.json" rc=0
    shift 2
    run_aws "$out" "$@" || rc=$?
    if [[ $rc -ne 0 ]] && grep -Eq "$pattern" "$out.err"; then
        pass "$name: aws exit $rc, $(grep -E "$pattern" "$out.err" | head -n 1)"
    else
        fail "$name: aws exit $rc, stderr does not match /$pattern/:"
        show "$out.err"
    fi
}

# ================================================ 1. independent server
note "independent server (tests/interop/independent_server.py)"
start_server independent "$PYTHON" "$HERE/independent_server.py" 0
URL="$SERVER_URL"
I_ACCOUNT="arn:aws:network-firewall:us-east-1:111122223333"
MAIN="$I_ACCOUNT:firewall/interop-main"
SMALL="$I_ACCOUNT:firewall/interop-small"
EMPTY="$I_ACCOUNT:firewall/interop-empty"
ASSOC1="$I_ACCOUNT:vpc-endpoint-association/interop-1"

ARN="$MAIN"
same_output "independent: no flags"
same_output "independent: --output json" --output json
for p in 1 7 100; do
    same_output "independent: --page-size $p" --page-size "$p"
done
for m in 1 5 13; do
    same_output "independent: --max-items $m" --max-items "$m"
    for p in 1 7 100; do
        same_output "independent: --max-items $m --page-size $p" --max-items "$m" --page-size "$p"
    done
done
# Truncation at a page boundary (default page 16), at the end, past the end.
same_output "independent: --max-items 16" --max-items 16
same_output "independent: --max-items 14 --page-size 7" --max-items 14 --page-size 7
same_output "independent: --max-items 41 (all)" --max-items 41
same_output "independent: --max-items 40 --page-size 100" --max-items 40 --page-size 100
same_output "independent: --max-items 1000" --max-items 1000
# Filters (the server filters each page after slicing, so pages can be short or empty).
same_output "independent: --flow-operation-type FLOW_FLUSH" --flow-operation-type FLOW_FLUSH
same_output "independent: --flow-operation-type FLOW_CAPTURE --page-size 3" --flow-operation-type FLOW_CAPTURE --page-size 3
same_output "independent: --availability-zone us-east-1b --page-size 5" --availability-zone us-east-1b --page-size 5
same_output "independent: --availability-zone (non-ASCII)" --availability-zone "eu-south-2ñ"
same_output "independent: --availability-zone + --flow-operation-type --max-items 3 --page-size 4" \
    --availability-zone us-east-1a --flow-operation-type FLOW_FLUSH --max-items 3 --page-size 4
same_output "independent: --vpc-endpoint-id --page-size 10" --vpc-endpoint-id vpce-0aaaabbbbcccc0001 --page-size 10
same_output "independent: --vpc-endpoint-association-arn --max-items 2 --page-size 3" \
    --vpc-endpoint-association-arn "$ASSOC1" --max-items 2 --page-size 3
same_output "independent: filter matching nothing" --availability-zone nowhere-1z --page-size 9
same_output "independent: filter matching nothing --max-items 2" --availability-zone nowhere-1z --max-items 2 --page-size 9
same_output "independent: unknown FlowOperationType value" --flow-operation-type FLOW_MIRROR --page-size 50
# Timestamps as ISO 8601: the AWS CLI v1 config `cli_timestamp_format = iso8601`.
N=$((N + 1))
rc_a=0 rc_b=0
AWS_CONFIG_FILE="$WORK/aws-config-iso8601" run_aws "$WORK/iso.aws.json" --page-size 100 || rc_a=$?
run_ours "$WORK/iso.ours.json" --page-size 100 --cli-timestamp-format iso8601 || rc_b=$?
if [[ $rc_a -eq 0 && $rc_b -eq 0 ]] && cmp -s "$WORK/iso.aws.json" "$WORK/iso.ours.json"; then
    pass "independent: ISO 8601 timestamps (aws cli_timestamp_format=iso8601 vs --cli-timestamp-format iso8601): identical"
else
    fail "independent: ISO 8601 timestamps: exit aws=$rc_a ours=$rc_b, diff aws ours:"
    diff -u --label aws --label ours "$WORK/iso.aws.json" "$WORK/iso.ours.json" | head -n 60 | sed -e 's/^/    | /' || true
fi
ARN="$SMALL"
same_output "independent: small firewall" --page-size 2
same_output "independent: small firewall --max-items 5" --max-items 5 --page-size 2
ARN="$MAIN"
same_output "independent: --query ids" --query 'FlowOperations[].FlowOperationId'
same_output "independent: --query length" --query 'length(FlowOperations)'
same_output "independent: --query first completed" --query "FlowOperations[?FlowOperationStatus=='COMPLETED'] | [0]"
same_output "independent: --query with --max-items" --max-items 3 --page-size 2 --query '{ids: FlowOperations[].FlowOperationId, next: NextToken}'
same_output "independent: --query matching nothing" --query "FlowOperations[?FlowOperationType=='NONE']"
same_output "independent: --query null" --query 'NoSuchKey'
# --query as the AWS CLI's Python jmespath evaluates it: multi-select hashes
# in the expression's order, Python's int apart from float, empty results.
same_output_formats "independent: --query multi-select hash order" \
    --query 'FlowOperations[].{Status: FlowOperationStatus, Id: FlowOperationId, When: FlowRequestTimestamp}'
same_output_formats "independent: --query nested multi-select hashes" --max-items 4 \
    --query '{z: FlowOperations[0].{b: FlowOperationId, a: FlowOperationType}, a: FlowOperations[1].FlowOperationStatus, m: NextToken}'
same_output_formats "independent: --query keys, values, *" \
    --query '[keys(FlowOperations[0]), values(FlowOperations[0]), FlowOperations[1].*]'
same_output_formats "independent: --query literal object key order" --query '`{"z": 1, "a": {"y": 2.5, "b": null, "x": [3, 1.0]}, "c": [1, 2]}`'
same_output_formats "independent: --query merge" --query 'merge(FlowOperations[0], {FlowOperationId: `1`, Extra: `2.0`})'
same_output_formats "independent: --query abs" --query '[abs(`-3`), abs(`-3.5`), abs(`-2.0`)]'
same_output_formats "independent: --query floor and ceil" \
    --query 'FlowOperations[:8].[floor(FlowRequestTimestamp), ceil(FlowRequestTimestamp), FlowRequestTimestamp]'
same_output_formats "independent: --query sum and avg" \
    --query '{sum: sum(FlowOperations[].FlowRequestTimestamp), ints: sum(`[1, 2, 3]`), none: sum(`[]`), avg: avg(`[1, 2]`), avg_ints: avg(`[2, 4]`), floors: sum(FlowOperations[].floor(FlowRequestTimestamp))}'
same_output_formats "independent: --query max, min, length" \
    --query '{max: max(FlowOperations[].FlowRequestTimestamp), min: min(`[2, 1.0, 1]`), maxint: max(`[1, 3, 2]`), len: length(FlowOperations), id_len: length(FlowOperations[0].FlowOperationId)}'
same_output_formats "independent: --query to_number" \
    --query "[to_number('3'), to_number('3.5'), to_number('1e3'), to_number('x'), to_number(\`7\`), to_number(\`7.0\`)]"
same_output_formats "independent: --query sort_by" --query 'sort_by(FlowOperations, &FlowRequestTimestamp)[:5].{t: FlowRequestTimestamp, id: FlowOperationId}'
same_output_formats "independent: --query an empty object" --query '`{}`'
same_output_formats "independent: --query an empty object in a list" --query '[`{}`]'
same_output_formats "independent: --query an empty list" --query '`[]`'
same_output_formats "independent: --query null-valued hash" --query '{a: NoSuchKey, b: `null`}'
same_output_formats "independent: --query null" --query '`null`'
same_output "independent: --output table --query an object among lists (its keys, in order, as a row)" \
    --output table --query '[[`"x"`, `"y"`], {zeta: FlowOperations[0].FlowOperationId, alpha: `1`}]'
same_output "independent: --output table --query nested objects and floats" \
    --output table --query '{a: [`{"z": 1, "b": 2.5e20}`, `{"q": [1, {"y": 1}]}`], b: `1e-7`}'
same_output "independent: --output text" --output text
same_output "independent: --output text --page-size 7" --output text --page-size 7
same_output "independent: --output text --max-items 5 --page-size 2" --output text --max-items 5 --page-size 2
same_output "independent: --output text --max-items 13 --page-size 7" --output text --max-items 13 --page-size 7
same_output "independent: --output text --flow-operation-type FLOW_CAPTURE" --output text --flow-operation-type FLOW_CAPTURE --page-size 3
same_output "independent: --output text --query ids" --output text --query 'FlowOperations[].FlowOperationId'
same_output "independent: --output text --query length" --output text --query 'length(FlowOperations)'
# --output table: the whole result at once (the AWS CLI builds it before
# drawing), laid out for 80 columns since stdout is not a terminal.
same_output "independent: --output table" --output table
for p in 1 7 100; do
    same_output "independent: --output table --page-size $p" --output table --page-size "$p"
done
same_output "independent: --output table --max-items 1" --output table --max-items 1
same_output "independent: --output table --max-items 5" --output table --max-items 5
for m in 1 5 13; do
    same_output "independent: --output table --max-items $m --page-size 7" --output table --max-items "$m" --page-size 7
done
same_output "independent: --output table --max-items 14 --page-size 7" --output table --max-items 14 --page-size 7
same_output "independent: --output table --max-items 16" --output table --max-items 16
same_output "independent: --output table --max-items 41 (all)" --output table --max-items 41
same_output "independent: --output table --max-items 1000" --output table --max-items 1000
same_output "independent: --output table --flow-operation-type FLOW_CAPTURE --page-size 3" \
    --output table --flow-operation-type FLOW_CAPTURE --page-size 3
same_output "independent: --output table --availability-zone (non-ASCII, wide characters)" \
    --output table --availability-zone "eu-south-2ñ"
same_output "independent: --output table filter matching nothing" --output table --availability-zone nowhere-1z --page-size 9
same_output "independent: --output table filter matching nothing --max-items 2" \
    --output table --availability-zone nowhere-1z --max-items 2 --page-size 9
same_output "independent: --output table --query ids" --output table --query 'FlowOperations[].FlowOperationId'
same_output "independent: --output table --query length (a number)" --output table --query 'length(FlowOperations)'
same_output "independent: --output table --query a string" --output table --query 'FlowOperations[0].FlowOperationId'
same_output "independent: --output table --query an object" --output table --query "FlowOperations[?FlowOperationStatus=='COMPLETED'] | [0]"
same_output "independent: --output table --query lists" --output table --query 'FlowOperations[:6].[FlowOperationId, FlowOperationStatus]'
same_output "independent: --output table --query with --max-items" \
    --output table --max-items 3 --page-size 2 --query '{ids: FlowOperations[].FlowOperationId, next: NextToken}'
same_output "independent: --output table --query matching nothing" --output table --query "FlowOperations[?FlowOperationType=='NONE']"
same_output "independent: --output table --query null" --output table --query 'NoSuchKey'
same_output "independent: --output table --query true" --output table --query '`true`'
same_output "independent: --output table --query 0" --output table --query '`0`'
same_output "independent: --output table --color on" --output table --color on
same_output "independent: --output table --color on --max-items 5 --page-size 2" --output table --color on --max-items 5 --page-size 2
same_output "independent: --output table --color on --max-items 1" --output table --color on --max-items 1
same_output "independent: --output table --color on --query lists" \
    --output table --color on --query 'FlowOperations[:4].[FlowOperationId, FlowOperationType]'
same_output "independent: --output table --color off" --output table --color off
same_output "independent: --output table --color off --max-items 5" --output table --color off --max-items 5
same_output "independent: --output table --color auto (not a terminal)" --output table --color auto --max-items 3
same_output "independent: --output json --color on (ignored)" --output json --color on --max-items 3
same_output "independent: --output text --color on (ignored)" --output text --color on --max-items 3
same_output "independent: --no-paginate --output table" --no-paginate --output table
same_output "independent: --no-paginate --output table --color on" --no-paginate --output table --color on
same_output "independent: --no-paginate --output table --query" --no-paginate --output table --query 'FlowOperations[:2].FlowOperationId'
same_output "independent: --output table --cli-input-json filters" --output table \
    --cli-input-json '{"FlowOperationType": "FLOW_CAPTURE", "AvailabilityZone": "us-east-1b"}'
N=$((N + 1))
rc_a=0 rc_b=0
AWS_CONFIG_FILE="$WORK/aws-config-iso8601" run_aws "$WORK/iso.aws.txt" --output table --page-size 100 || rc_a=$?
run_ours "$WORK/iso.ours.txt" --output table --page-size 100 --cli-timestamp-format iso8601 || rc_b=$?
if [[ $rc_a -eq 0 && $rc_b -eq 0 ]] && cmp -s "$WORK/iso.aws.txt" "$WORK/iso.ours.txt"; then
    pass "independent: --output table, ISO 8601 timestamps: identical"
else
    fail "independent: --output table, ISO 8601 timestamps: exit aws=$rc_a ours=$rc_b, diff aws ours:"
    diff -u --label aws --label ours "$WORK/iso.aws.txt" "$WORK/iso.ours.txt" | head -n 60 | sed -e 's/^/    | /' || true
fi
# On a terminal: its width decides when single rows turn vertical, and
# `--color auto` colours (plus the reset colorama writes at exit).
same_output_tty 200 "independent: tty --output table --max-items 1" --output table --max-items 1
same_output_tty 60 "independent: tty --output table --max-items 3 --color off" --output table --max-items 3 --color off
same_output_tty 120 "independent: tty --output table --color on --query an object" \
    --output table --color on --query "FlowOperations[?FlowOperationStatus=='FAILED'] | [0]"
same_output_tty 100 "independent: tty --output json --color auto" --output json --max-items 2
same_output "independent: --no-paginate" --no-paginate
same_output "independent: --no-paginate --output text" --no-paginate --output text
# The AWS CLI v1 fills an enum member of the skeleton with one of its values,
# not always the same one: compare with that value masked.
run_aws "$WORK/skel.aws" --generate-cli-skeleton || true
run_ours "$WORK/skel.ours" --generate-cli-skeleton || true
mask='s/"FlowOperationType": "FLOW_[A-Z]*"/"FlowOperationType": "<enum>"/'
if [[ -s "$WORK/skel.ours" ]] && cmp -s <(sed -e "$mask" "$WORK/skel.aws") <(sed -e "$mask" "$WORK/skel.ours"); then
    pass "independent: --generate-cli-skeleton: identical output (enum value masked)"
else
    fail "independent: --generate-cli-skeleton: output differs (diff aws ours):"
    diff -u --label aws --label ours "$WORK/skel.aws" "$WORK/skel.ours" | sed -e 's/^/    | /' || true
fi
same_output "independent: --cli-input-json filters" --cli-input-json '{"FlowOperationType": "FLOW_CAPTURE", "AvailabilityZone": "us-east-1b"}'
same_output "independent: --cli-input-json MaxResults" --cli-input-json '{"MaxResults": 7}' --max-items 9
ARN="$EMPTY"
same_output "independent: empty firewall"
same_output "independent: empty firewall --max-items 1" --max-items 1
same_output "independent: empty firewall --output text" --output text
same_output "independent: empty firewall --output table" --output table
same_output "independent: empty firewall --output table --max-items 1" --output table --max-items 1
same_output "independent: empty firewall --output table --color on" --output table --color on
same_output "independent: empty firewall --output table --query" --output table --query 'FlowOperations'
ARN="$SMALL"
same_output "independent: small firewall --output table" --output table --page-size 2
same_output "independent: small firewall --output table --max-items 4" --output table --max-items 4 --page-size 2

ARN="$MAIN"
if full_listing --page-size 100; then
    step_chain "independent: chain --max-items 5" --max-items 5
    table_chain "independent: table chain --max-items 5" --max-items 5
    step_chain "independent: chain --max-items 13 --page-size 7" --max-items 13 --page-size 7
    table_chain "independent: table chain --max-items 13 --page-size 7" --max-items 13 --page-size 7
    step_chain "independent: chain --max-items 7 --page-size 7" --max-items 7 --page-size 7
    step_chain "independent: chain --max-items 1 --page-size 100" --max-items 1 --page-size 100
    table_chain "independent: table chain --max-items 1 --page-size 100" --max-items 1 --page-size 100
    alt_chain "independent: alternating chain aws->ours --max-items 5" aws --max-items 5
    alt_chain "independent: alternating chain ours->aws --max-items 5" ours --max-items 5
    alt_chain "independent: alternating chain aws->ours --max-items 13 --page-size 7" aws --max-items 13 --page-size 7
    alt_chain "independent: alternating chain ours->aws --max-items 13 --page-size 7" ours --max-items 13 --page-size 7
    alt_chain "independent: alternating chain ours->aws --max-items 3 --page-size 2" ours --max-items 3 --page-size 2
fi
if full_listing --page-size 100 --flow-operation-type FLOW_CAPTURE; then
    step_chain "independent: chain FLOW_CAPTURE --max-items 2 --page-size 3" \
        --flow-operation-type FLOW_CAPTURE --max-items 2 --page-size 3
    table_chain "independent: table chain FLOW_CAPTURE --max-items 2 --page-size 3" \
        --flow-operation-type FLOW_CAPTURE --max-items 2 --page-size 3
    alt_chain "independent: alternating chain FLOW_CAPTURE aws->ours --max-items 3 --page-size 4" aws \
        --flow-operation-type FLOW_CAPTURE --max-items 3 --page-size 4
    alt_chain "independent: alternating chain FLOW_CAPTURE ours->aws --max-items 3 --page-size 4" ours \
        --flow-operation-type FLOW_CAPTURE --max-items 3 --page-size 4
fi

# Errors (our binary), and the AWS CLI refusing the same input.
BAD_TOKEN="bm90IGEgdG9rZW4="
ours_fails "independent: ours, bad --starting-token (garbage)" --starting-token 'not-a-token!'
ours_fails "independent: ours, bad --starting-token (base64 of non-JSON)" --starting-token "$BAD_TOKEN"
aws_fails "independent: aws, bad --starting-token" 'starting token|Bad starting token|error' --starting-token 'not-a-token!'
FOREIGN="$(printf '{"NextToken": "%s", "boto_truncate_amount": 1}' "$(printf '999|0' | base64)" | base64 -w0)"
ours_fails "independent: ours, token rejected by the service" --starting-token "$FOREIGN"
aws_fails "independent: aws, token rejected by the service" 'InvalidRequestException' --starting-token "$FOREIGN"
ours_fails "independent: ours, --page-size 0" --page-size 0
aws_fails "independent: aws, --page-size 0" 'valid min value: 1' --page-size 0
ours_fails "independent: ours, --page-size 101" --page-size 101
aws_fails "independent: aws, --page-size 101" 'InvalidRequestException' --page-size 101
ours_fails "independent: ours, --color purple" --output table --color purple
aws_fails "independent: aws, --color purple" 'argument --color: Invalid choice' --output table --color purple
ours_fails "independent: ours, --output yaml" --output yaml
for output in json text table; do
    ours_fails "independent: ours, --output $output --query type error" --output "$output" --query 'abs(FlowOperations[0].FlowOperationId)'
    aws_fails "independent: aws, --output $output --query type error" 'In function abs\(\), invalid type' \
        --output "$output" --query 'abs(FlowOperations[0].FlowOperationId)'
done
DEEP="FlowOperations$(printf '[]%.0s' $(seq 1 16000))"
ours_fails "independent: ours, --query of 16000 projections" --query "$DEEP"
aws_fails "independent: aws, --query of 16000 projections" 'maximum recursion depth exceeded' --query "$DEEP"
ARN="$I_ACCOUNT:firewall/no-such-firewall"
ours_fails "independent: ours, unknown firewall" --max-items 3
aws_fails "independent: aws, unknown firewall" 'ResourceNotFoundException'

# ================================================ 2. our `serve`
note "our endpoint (list_flow_operations serve)"
start_server serve "$BIN" serve --port 0 --access-key-id AKIDPAGINATEDEMO --secret-access-key paginate-demo-secret
URL="$SERVER_URL"
DEMO="$(sed -n 's/^firewall: //p' "$WORK/serve.out" | head -n 1)"
note "serve: $URL, firewalls: $(sed -n 's/^firewall: //p' "$WORK/serve.out" | tr '\n' ' ')"

ARN="$DEMO"
if full_listing; then
    TOTAL="$(wc -l <"$WORK/full.ids")"
    if [[ $TOTAL -gt 0 && "$(sort -u "$WORK/full.ids" | wc -l)" -eq $TOTAL ]]; then
        pass "serve: our full listing of $ARN: $TOTAL operations, all distinct"
    else
        fail "serve: our full listing of $ARN: $TOTAL operations, $(sort -u "$WORK/full.ids" | wc -l) distinct"
    fi
    for p in 1 7 100; do
        out="$WORK/serve.aws.$p.json" rc=0
        run_aws "$out" --page-size "$p" || rc=$?
        if [[ $rc -ne 0 ]]; then
            fail "serve: aws --page-size $p exited $rc"
            show "$out.err"
        elif ! ids "$out" | cmp -s - "$WORK/full.ids"; then
            fail "serve: aws --page-size $p: $(ids "$out" | wc -l) ids ($(ids "$out" | sort | uniq -d | wc -l) duplicated), differ from ours ($TOTAL)"
        elif ! cmp -s "$out" "$WORK/full.json"; then
            fail "serve: aws --page-size $p: same ids but output differs (diff aws ours):"
            diff -u --label aws --label ours "$out" "$WORK/full.json" | head -n 40 | sed -e 's/^/    | /' || true
        else
            pass "serve: aws --page-size $p lists all $TOTAL operations once each, identical to ours"
        fi
    done
    step_chain "serve: chain --max-items 50 --page-size 7" --max-items 50 --page-size 7
    table_chain "serve: table chain --max-items 50 --page-size 7" --max-items 50 --page-size 7
    alt_chain "serve: alternating chain aws->ours --max-items 40 --page-size 7" aws --max-items 40 --page-size 7
    alt_chain "serve: alternating chain ours->aws --max-items 100" ours --max-items 100
    alt_chain "serve: alternating chain aws->ours --max-items 100 --page-size 100" aws --max-items 100 --page-size 100
fi
for fw in $(sed -n 's/^firewall: //p' "$WORK/serve.out" | tail -n +2); do
    ARN="$fw"
    same_output "serve: ${fw##*/} --page-size 7" --page-size 7
    same_output "serve: ${fw##*/} --max-items 5 --page-size 3" --max-items 5 --page-size 3
    same_output "serve: ${fw##*/} --output table --page-size 7" --output table --page-size 7
done
ARN="$DEMO"
AWS_SECRET_ACCESS_KEY=wrong-secret aws_fails "serve: aws with a wrong secret key refused" 'InvalidSignatureException' --max-items 1
AWS_ACCESS_KEY_ID=AKIDNOSUCHKEY0000000 aws_fails "serve: aws with an unknown access key refused" 'UnrecognizedClientException' --max-items 1
AWS_SECRET_ACCESS_KEY=wrong-secret ours_fails "serve: ours, wrong secret key" --max-items 1
ours_fails "serve: ours, bad --starting-token" --starting-token 'not-a-token!'
ours_fails "serve: ours, --page-size 0" --page-size 0
ours_fails "serve: ours, --page-size 101" --page-size 101
ARN="${DEMO%/*}/no-such-firewall"
ours_fails "serve: ours, unknown firewall" --max-items 3

# ================================================ 2b. timestamps with an exponent
# Python prints floats below 1e-4 and from 1e16 with an exponent of at least
# two digits (1e-07, 1.5e+16); our endpoint serves such timestamps from a file.
note "timestamps Python prints with an exponent (list_flow_operations serve --data)"
SERVE_URL="$URL"
EXP_ARN="arn:aws:network-firewall:us-east-1:111122223333:firewall/exponents"
{
    printf '{"Firewalls": [{"FirewallArn": "%s", "FlowOperations": [' "$EXP_ARN"
    i=0
    for t in 0.0000001 0.000015 0.0001 0.5 1733337353.759 1733337353 1733337353.0 \
        10000000000000000.0 15000000000000000.5 123456789012345678.0 1e-7 2.5e-10; do
        [[ $i -gt 0 ]] && printf ', '
        printf '{"FlowOperationId": "op-%02d", "FlowOperationType": "FLOW_FLUSH", "FlowRequestTimestamp": %s, "FlowOperationStatus": "COMPLETED"}' "$i" "$t"
        i=$((i + 1))
    done
    printf ']}]}\n'
} >"$WORK/exponents.json"
start_server exponents "$BIN" serve --port 0 --data "$WORK/exponents.json" \
    --access-key-id AKIDPAGINATEDEMO --secret-access-key paginate-demo-secret
URL="$SERVER_URL"
ARN="$EXP_ARN"
same_output_formats "exponents: timestamps"
same_output_formats "exponents: --page-size 5" --page-size 5
same_output_formats "exponents: --query timestamps" --query 'FlowOperations[].FlowRequestTimestamp'
same_output_formats "exponents: --query sum, max, floor" \
    --query '{s: sum(FlowOperations[].FlowRequestTimestamp), m: max(FlowOperations[].FlowRequestTimestamp), f: FlowOperations[].floor(FlowRequestTimestamp)}'
URL="$SERVE_URL"
ARN="$DEMO"

# ================================================ 3. AWS SDK for Rust
if [[ "${INTEROP_SDK:-1}" == 0 ]]; then
    note "AWS SDK for Rust check skipped (INTEROP_SDK=0)"
else
    note "AWS SDK for Rust (tests/interop/sdk)"
    T0=$SECONDS
    sdk_rc=0
    CARGO_TARGET_DIR="$SDK_TARGET_DIR" cargo build -j 2 --quiet --manifest-path "$HERE/sdk/Cargo.toml" || sdk_rc=$?
    if [[ $sdk_rc -ne 0 ]]; then
        fail "sdk: cargo build of tests/interop/sdk failed ($sdk_rc)"
    else
        note "built interop-sdk in $((SECONDS - T0))s"
        ARN="$DEMO"
        full_listing || true
        TOTAL="$(wc -l <"$WORK/full.ids")"
        "$SDK_TARGET_DIR/debug/interop-sdk" "$URL" "$DEMO" "$TOTAL" "$WORK/sdk.ids" >"$WORK/sdk.out" 2>&1 || sdk_rc=$?
        while IFS= read -r line; do
            case "$line" in
                PASS\ *) pass "${line#PASS }" ;;
                FAIL\ *) fail "${line#FAIL }" ;;
                *) echo "    | $line" ;;
            esac
        done <"$WORK/sdk.out"
        if [[ $sdk_rc -ne 0 ]] && ! grep -q '^FAIL' "$WORK/sdk.out"; then
            fail "sdk: interop-sdk exited $sdk_rc"
        fi
        # The SDK's ids (plain, one a line) against our listing's.
        if "$PYTHON" -c 'import json,sys
ours = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
sdk = open(sys.argv[2], encoding="utf-8").read().splitlines()
sys.exit(0 if ours == sdk else 1)' "$WORK/full.ids" "$WORK/sdk.ids" 2>/dev/null; then
            pass "sdk: the SDK's listing has the same ids, in the same order, as our binary's"
        else
            fail "sdk: the SDK's listing differs from our binary's"
        fi
    fi
fi

note "interop took $((SECONDS - STARTED))s"
echo "interop: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
