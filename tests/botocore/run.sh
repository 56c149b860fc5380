#!/usr/bin/env bash
# Every botocore paginator, expressed by `#[derive(Paginated)]`, generated and replayed.
#
#   bash tests/botocore/run.sh          # the fixed CI sample (60 paginators, all nested/computed ones)
#   bash tests/botocore/run.sh --full   # all of them (3,112 in botocore 1.43.11)
#
# Installs botocore into a venv under target/ if missing, generates the models
# (a cargo workspace of chunk crates) and the vectors under
# $CARGO_TARGET_DIR/botocore-sweep, builds with -j 2 and replays. Prints, last,
# `botocore paginators: P/T replayed, V vectors passed`; exits nonzero if any
# vector fails or any selected paginator is not replayed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BOTOCORE_VERSION="1.43.11"
MODE="--sample"
SEED="${PAGINATE_BOTOCORE_SEED:-2026}"
for arg in "$@"; do
    case "$arg" in
        --full) MODE="" ;;
        --sample) MODE="--sample" ;;
        *) echo "usage: $0 [--full]" >&2; exit 2 ;;
    esac
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${PAGINATE_BOTOCORE_VENV:-$ROOT/target/botocore-venv}"
if ! "$VENV/bin/python" -c "import botocore, sys; sys.exit(botocore.__version__ != '$BOTOCORE_VERSION')" 2>/dev/null; then
    echo "installing botocore $BOTOCORE_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "botocore==$BOTOCORE_VERSION"
fi

if [ -n "$MODE" ]; then OUT="$CARGO_TARGET_DIR/botocore-sweep/sample"; else OUT="$CARGO_TARGET_DIR/botocore-sweep/full"; fi
start=$(date +%s)
"$VENV/bin/python" "$HERE/generate.py" --out "$OUT" --seed "$SEED" $MODE
gen=$(date +%s)
RUNNER="botocore-runner-$(basename "$OUT")"
cargo build --quiet -j 2 --manifest-path "$OUT/gen/Cargo.toml" -p "$RUNNER"
built=$(date +%s)
echo "generate $((gen - start)) s, build $((built - gen)) s" >&2
exec "$CARGO_TARGET_DIR/debug/$RUNNER" "$OUT/vectors" "$OUT/manifest.json"
