#!/usr/bin/env bash
# Benchmark: handouts against the typst CLI and pandoc → typst, on N generated articles.
#
#   bench/run.sh [N] [--only-handouts]      (N defaults to 1000)
#
# Measures whole-process wall time, CPU time (user+sys) and peak RSS with /usr/bin/time -v
# for: handouts build --jobs 1 and --jobs $(nproc); typst compile once per article
# (xargs -P$(nproc)); pandoc → PDF via typst once per article (xargs -P$(nproc)); $(nproc)
# independent `--jobs 1` processes on shares of the articles (the machine's ceiling); a no-op
# and a one-article-changed rebuild; and the in-process time of single handouts in a warm
# process (examples/warm_compile.rs). Prints a table and writes it to bench/out-N/results.md.
#
# Installs what it needs into bench/.tools/ (gitignored): typst-cli 0.15.1 with
# `cargo install` (long on 2 cores), pandoc from PyPI (pypandoc_binary) in a venv.
# Builds handouts with `cargo build --release` into $CARGO_TARGET_DIR or ./target, or uses
# the binaries in $BENCH_BIN_DIR (handouts, examples/emit_typst, examples/warm_compile).
set -euo pipefail

N=1000
ONLY_HANDOUTS=0
for arg in "$@"; do
  case "$arg" in
    --only-handouts) ONLY_HANDOUTS=1 ;;
    [0-9]*) N=$arg ;;
    *) echo "usage: bench/run.sh [N] [--only-handouts]" >&2; exit 2 ;;
  esac
done

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
TOOLS=$BENCH/.tools
CORES=$(nproc)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CORPUS=$BENCH/corpus-$N
OUT=$BENCH/out-$N
TYPST=$TOOLS/bin/typst
# Same PDF date everywhere (handouts prefers an article's reviewed date).
export SOURCE_DATE_EPOCH=1789000000
mkdir -p "$TOOLS" "$OUT"
cd "$ROOT"

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

TYPST_INSTALL_PID=
if [ "$ONLY_HANDOUTS" = 0 ] && [ ! -x "$TYPST" ]; then
  log "installing typst-cli 0.15.1 into bench/.tools (background, log: bench/.tools/typst-install.log)"
  nice -n 10 cargo install typst-cli --version 0.15.1 --locked --root "$TOOLS" \
    >"$TOOLS/typst-install.log" 2>&1 &
  TYPST_INSTALL_PID=$!
fi

if [ "$ONLY_HANDOUTS" = 0 ] && [ ! -x "$TOOLS/venv/bin/python" ]; then
  log "installing pandoc (PyPI pypandoc_binary) into bench/.tools/venv"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q pypandoc_binary
fi

if [ -n "${BENCH_BIN_DIR:-}" ]; then
  # Already built binaries (handouts, examples/emit_typst, examples/warm_compile).
  HANDOUTS=$BENCH_BIN_DIR/handouts
  EXAMPLES=$BENCH_BIN_DIR/examples
else
  log "cargo build --release (handouts, examples emit_typst and warm_compile)"
  cargo build --release --quiet --bin handouts --example emit_typst --example warm_compile
  HANDOUTS=$TARGET/release/handouts
  EXAMPLES=$TARGET/release/examples
fi

# ---------------------------------------------------------------- corpus and config
if [ "$(find "$CORPUS/handouts" -name '*.md' 2>/dev/null | wc -l)" != "$N" ]; then
  log "generating $N articles into $CORPUS"
  python3 "$BENCH/gen_corpus.py" "$N" "$CORPUS"
fi
CONFIG=$OUT/handouts.toml
# The repo's config with one PDF per article and absolute template/logo paths.
sed -e 's|^large-print *=.*|large-print = false|' \
    -e "s|\"templates/|\"$ROOT/templates/|" "$ROOT/handouts.toml" >"$CONFIG"

# ---------------------------------------------------------------- measuring
# measure NAME CMD...: runs CMD under /usr/bin/time -v, keeps its report in $OUT/time-NAME.txt.
measure() {
  local name=$1; shift
  log "$name: $*"
  sync
  if ! /usr/bin/time -v -o "$OUT/time-$name.txt" "$@" >"$OUT/log-$name.txt" 2>&1; then
    echo "FAILED: $name (see $OUT/log-$name.txt)" >&2
    tail -5 "$OUT/log-$name.txt" >&2
    echo "failed" >>"$OUT/time-$name.txt"
  fi
  grep -E 'Elapsed|User time|System time|Maximum resident' "$OUT/time-$name.txt" | sed 's/^\s*/   /' >&2
}

BUILD=("$HANDOUTS" build --quiet --no-epub --config "$CONFIG" --content "$CORPUS/handouts")

echo "load before: $(uptime)" >"$OUT/machine.txt"
{
  echo "nproc: $CORES"
  grep -m1 'model name' /proc/cpuinfo || true
  echo "memory: $(free -m | awk '/Mem:/ {print $2}') MiB"
  echo "handouts: $(git -C "$ROOT" rev-parse --short HEAD) ($(git -C "$ROOT" branch --show-current))"
} >>"$OUT/machine.txt"

# Outputs of an earlier run go first, then a pause: ext4 skips recently freed inodes
# when it allocates new ones (`recently_deleted`, 5 s once synced), so deleting
# thousands of files just before a measured run makes that run's file creation slow.
rm -rf "$OUT/ho-1" "$OUT/ho-n" "$OUT/typst" "$OUT/pandoc" "$OUT/shares"
sync
sleep 6

# a. handouts, cold (empty output folder), jobs 1 and jobs = cores.
measure handouts-j1 "${BUILD[@]}" --jobs 1 --out "$OUT/ho-1"
measure handouts-jN "${BUILD[@]}" --jobs "$CORES" --out "$OUT/ho-n"

# e. The machine's own ceiling for parallel work: $CORES independent `--jobs 1` processes,
# each on its share of the articles, at the same time. They share no memory, so whatever
# keeps them from $CORES× (a VM's vCPUs sharing a core or cache, frequency limits) caps any
# program here, and `--jobs $CORES` scaling is best read against it.
rm -rf "$OUT/shares"
i=0
find "$CORPUS/handouts" -name '*.md' | sort | while read -r f; do
  mkdir -p "$OUT/shares/$((i % CORES))/in"
  ln "$f" "$OUT/shares/$((i % CORES))/in/"
  i=$((i + 1))
done
cat >"$OUT/independent.sh" <<EOF
#!/bin/sh
for share in "$OUT"/shares/*; do
  "$HANDOUTS" build --quiet --no-epub --config "$CONFIG" --content "\$share/in" --jobs 1 --out "\$share/out" &
done
wait
EOF
sync
sleep 6
measure independent-jN sh "$OUT/independent.sh"

# d. rebuilds into the jobs=cores output: nothing changed, then one article changed.
measure rebuild-noop "${BUILD[@]}" --jobs "$CORES" --out "$OUT/ho-n"
CHANGED=$CORPUS/handouts/00000.md
cp "$CHANGED" "$OUT/changed.bak"
printf '\nThis sentence was added to measure a rebuild with one changed article.\n' >>"$CHANGED"
measure rebuild-one "${BUILD[@]}" --jobs "$CORES" --out "$OUT/ho-n"
# What that rebuild typeset (report.json: `pdfs` written, `unchanged` skipped, if present).
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(len(r.get("pdfs", [])), len(r.get("unchanged", [])))' \
  "$OUT/ho-n/report.json" >"$OUT/rebuild-one-counts.txt" || true
cp "$OUT/changed.bak" "$CHANGED"
# Rebuild once more so ho-n matches the corpus again (not measured).
"${BUILD[@]}" --jobs "$CORES" --out "$OUT/ho-n" >/dev/null 2>&1 || true

# In-process time of single handouts in a warm process, on a sample of 10 articles.
SAMPLE=$(find "$CORPUS/handouts" -name '*.md' | sort | awk -v n="$N" 'NR % int((n + 9) / 10) == 1')
log "warm in-process compile of $(echo "$SAMPLE" | wc -l) sample articles"
# shellcheck disable=SC2086
"$EXAMPLES/warm_compile" --config "$CONFIG" --runs 15 $SAMPLE | tee "$OUT/warm.txt" >&2

if [ "$ONLY_HANDOUTS" = 0 ]; then
  # b. typst CLI, once per article, over the emitted projects.
  log "emitting typst projects"
  "$EXAMPLES/emit_typst" --config "$CONFIG" --content "$CORPUS/handouts" --out "$OUT/typst"
  if [ -n "$TYPST_INSTALL_PID" ]; then
    log "waiting for the typst-cli install"
    wait "$TYPST_INSTALL_PID" || { tail -20 "$TOOLS/typst-install.log" >&2; exit 1; }
  fi
  "$TYPST" --version >&2
  MAIN=$(cat "$OUT/typst/main.txt")
  measure typst-cli xargs -P"$CORES" -I{} "$TYPST" compile --root {} \
    --font-path "$OUT/typst/fonts" --ignore-system-fonts --pdf-standard ua-1 "{}/$MAIN" \
    <"$OUT/typst/list.txt"
  # The same sample as warm_compile, one typst process each, one at a time.
  : >"$OUT/typst-single.txt"
  for f in $SAMPLE; do
    dir=$(sed -n "$(( 10#$(basename "$f" .md) + 1 ))p" "$OUT/typst/list.txt")
    /usr/bin/time -f '%e %U %S %M' -a -o "$OUT/typst-single.txt" "$TYPST" compile --root "$dir" \
      --font-path "$OUT/typst/fonts" --ignore-system-fonts --pdf-standard ua-1 "$dir/$MAIN" "$OUT/single.pdf"
  done

  # c. pandoc → typst, once per article.
  PANDOC=$("$TOOLS/venv/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
  "$PANDOC" --version | head -1 >&2
  mkdir -p "$OUT/pandoc"
  export PANDOC TYPST FONTS="$OUT/typst/fonts" PDFDIR="$OUT/pandoc"
  # shellcheck disable=SC2016
  measure pandoc sh -c 'find "$0" -name "*.md" | sort | xargs -P"$1" -I{} sh -c '\''"$PANDOC" "$0" -o "$PDFDIR/$(basename "$0" .md).pdf" --pdf-engine="$TYPST" --pdf-engine-opt=--font-path="$FONTS" --pdf-engine-opt=--ignore-system-fonts -V mainfont="Atkinson Hyperlegible" -V fontsize=12.5pt -V papersize=us-letter'\'' {}' "$CORPUS/pandoc" "$CORES"
fi

echo "load after: $(uptime)" >>"$OUT/machine.txt"

# ---------------------------------------------------------------- table
python3 "$BENCH/table.py" "$OUT" "$N" | tee "$OUT/results.md"
