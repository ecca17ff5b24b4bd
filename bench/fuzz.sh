#!/usr/bin/env bash
# Fuzz ingest for a fixed time per target: pastes (.txt), Markdown and saved pages (.html).
#
#   bench/fuzz.sh [SECONDS]        (per target; default 300)
#
# Seeds each corpus with the committed regression sets (tests/web, tests/html,
# tests/fixtures) and gives libFuzzer fuzz/dict/pages.dict: the characters browsers put
# in real pastes and saved pages (no-break spaces, soft hyphens, joiners, direction and
# combining marks). Installs cargo-fuzz into bench/.tools/ (gitignored) and builds with
# RUSTC_BOOTSTRAP=1 on the stable toolchain. A crash leaves its input in
# fuzz/artifacts/TARGET/ and makes this script exit non-zero.
set -euo pipefail
SECONDS_PER_TARGET=${1:-300}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$ROOT/bench/.tools
cd "$ROOT"
if [ ! -x "$TOOLS/bin/cargo-fuzz" ]; then
  nice -n 10 cargo install cargo-fuzz --locked --root "$TOOLS"
fi
export PATH=$TOOLS/bin:$PATH RUSTC_BOOTSTRAP=1
seed() { # target, extensions…
  local dir=fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for ext in "$@"; do
    find tests/web tests/html tests/fixtures -name "*.$ext" -size -64k -exec cp {} "$dir/" \; 2>/dev/null || true
  done
}
seed ingest_txt txt
seed ingest_md md
seed ingest_html html htm
status=0
for target in ingest_txt ingest_md ingest_html; do
  echo "== $target: ${SECONDS_PER_TARGET}s"
  if ! nice -n 10 cargo fuzz run "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -dict=fuzz/dict/pages.dict -max_len=65536 \
      -print_final_stats=1 2>&1 | tail -20; then
    status=1
  fi
done
exit $status
