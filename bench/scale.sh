#!/usr/bin/env bash
# A health system's library at scale (issue 28): N generated articles in ten languages
# (translation groups of ten), each in regular and large print, with the shipped
# handouts.toml (site and EPUB on), built once from nothing, then rebuilt with nothing
# changed, then with one article changed.
#
#   bench/scale.sh N [N …]        e.g. bench/scale.sh 1000 10000 100000
#
# For each N: wall and CPU time, time per handout (an article: its two PDFs, its JSON and
# its site page), peak RSS (GNU time), the manifest's size, the output folder's size and
# file count, and the no-op and one-changed rebuild times. Prints a Markdown table and
# keeps it in bench/scale-out/results.md; the corpora and outputs stay in bench/scale-out/
# (gitignored; 100,000 articles take about 25 GB).
#
# Uses $BENCH_BIN (a release `handouts`), else builds one with `cargo build --release`.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$BENCH/scale-out
LANGS=${SCALE_LANGUAGES:-en,es,fr,de,pt,vi,ru,ar,zh,ko}
export SOURCE_DATE_EPOCH=1789000000
mkdir -p "$WORK"
if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
if [ -z "${BENCH_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  BENCH_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/handouts
fi

CONFIG=$WORK/handouts.toml
sed -e "s|\"templates/|\"$ROOT/templates/|" "$ROOT/handouts.toml" >"$CONFIG"

# field NAME FILE: a value from GNU time's -v report.
field() { grep -F "$1" "$2" | sed 's/.*: //'; }
seconds() { # "h:mm:ss" or "m:ss.ss" → seconds
  awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

RESULTS=$WORK/results.md
{
  echo "| articles | PDFs | build wall s | CPU s | ms per article (wall) | CPU ms per article | peak RSS MiB | manifest MB | EPUB MB | EPUB nav MB | largest catalogue page / data MB | out GB / files | no-op s | no-op peak RSS MiB | one changed s |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$RESULTS"

for N in "$@"; do
  CORPUS=$WORK/corpus-$N
  OUT=$WORK/out-$N
  if [ ! -f "$CORPUS/.done" ]; then
    rm -rf "$CORPUS"
    python3 "$BENCH/gen_corpus.py" "$N" "$CORPUS" --languages "$LANGS" --no-pandoc
    touch "$CORPUS/.done"
  fi
  rm -rf "$OUT"
  run() { # run NAME: one build, timed
    sync
    /usr/bin/time -v -o "$WORK/time-$N-$1.txt" "$BENCH_BIN" build --config "$CONFIG" \
      --content "$CORPUS/handouts" --out "$OUT" --max-removals 100% >"$WORK/log-$N-$1.txt" 2>&1 \
      || { echo "build $1 failed (N=$N): see $WORK/log-$N-$1.txt" >&2; tail -5 "$WORK/log-$N-$1.txt" >&2; }
  }
  echo "== N=$N: full build" >&2
  run full
  echo "== N=$N: nothing changed" >&2
  run noop
  # The first article (not `find | sort | head`: under pipefail, sort's SIGPIPE on a
  # large folder would end the script).
  first=$CORPUS/handouts/00000.md
  cp "$first" "$first.orig"
  printf '\nOne more sentence for the changed rebuild.\n' >>"$first"
  echo "== N=$N: one changed" >&2
  run one
  mv "$first.orig" "$first"

  T=$WORK/time-$N-full.txt
  wall=$(seconds "$(field 'Elapsed (wall clock)' "$T")")
  cpu=$(awk "BEGIN { print $(field 'User time' "$T") + $(field 'System time' "$T") }")
  rss=$(( $(field 'Maximum resident set size' "$T") / 1024 ))
  pdfs=$(find "$OUT/pdf" -name '*.pdf' | wc -l)
  manifest=$(du -b "$OUT/.handouts-manifest.json" 2>/dev/null | cut -f1 || echo 0)
  epub=$(du -cb "$OUT"/*.epub 2>/dev/null | tail -1 | cut -f1)
  # The largest catalogue page: the index, or one of its pages when it is split.
  page=$(find "$OUT/site" -maxdepth 1 \( -name index.html -o -name 'catalogue_*.html' \) -printf '%s\n' | sort -n | tail -1)
  nav=$(python3 -c 'import sys, zipfile; print(max([zipfile.ZipFile(p).getinfo("OEBPS/nav.xhtml").file_size for p in sys.argv[1:]] or [0]))' "$OUT"/*.epub)
  data=$(du -b "$OUT/site/assets/catalogue.js" 2>/dev/null | cut -f1 || echo 0)
  outsize=$(du -sb "$OUT" | cut -f1)
  files=$(find "$OUT" -type f | wc -l)
  noop=$(seconds "$(field 'Elapsed (wall clock)' "$WORK/time-$N-noop.txt")")
  nooprss=$(( $(field 'Maximum resident set size' "$WORK/time-$N-noop.txt") / 1024 ))
  one=$(seconds "$(field 'Elapsed (wall clock)' "$WORK/time-$N-one.txt")")
  awk -v n="$N" -v pdfs="$pdfs" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" -v man="$manifest" -v epub="$epub" -v nav="$nav" -v page="$page" -v data="$data" \
    -v out="$outsize" -v files="$files" -v noop="$noop" -v nooprss="$nooprss" -v one="$one" 'BEGIN {
      printf "| %d | %d | %.1f | %.1f | %.2f | %.2f | %d | %.1f | %.1f | %.2f | %.2f / %.1f | %.1f / %d | %.2f | %d | %.2f |\n",
        n, pdfs, wall, cpu, wall * 1000 / n, cpu * 1000 / n, rss, man / 1e6, epub / 1e6, nav / 1e6, page / 1e6, data / 1e6,
        out / 1e9, files, noop, nooprss, one
    }' >>"$RESULTS"
done
cat "$RESULTS"
