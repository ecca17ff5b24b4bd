#!/usr/bin/env bash
# Runs pandoc (the binary that the pinned `pypandoc_binary` wheel ships), used as an
# oracle for the .docx reader (tests/docx/structure.py).
#
#   scripts/pandoc.sh ARGS...          (same arguments as pandoc)
#   scripts/pandoc.sh --install        (only install; used by .ci/run)
#
# The wheel comes from PyPI, installed on first use into .venv-pandoc/ at the
# repository root, so the only prerequisites are python3 (with venv and pip) and
# network access to PyPI the first time.
set -euo pipefail

VERSION=1.17
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-pandoc"
MARKER="$VENV/.installed-pypandoc-binary-$VERSION"

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PANDOC-ARGS... | --install" >&2
    exit 2
fi

install() {
    # Tests may call this script in parallel: one installs, the others wait.
    exec 9>"$ROOT/.venv-pandoc.lock"
    if command -v flock >/dev/null; then flock 9; fi
    if [ ! -f "$MARKER" ]; then
        echo "pandoc.sh: installing pypandoc_binary $VERSION into $VENV" >&2
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check "pypandoc_binary==$VERSION" >&2
        touch "$MARKER"
    fi
    exec 9>&-
}
[ -f "$MARKER" ] || install
if [ "$1" = "--install" ]; then
    exit 0
fi

# The wheel keeps the binary in pypandoc/files/ next to the package's __init__.py.
BIN="$("$VENV/bin/python" -c 'import pypandoc, os; print(os.path.join(os.path.dirname(pypandoc.__file__), "files", "pandoc"))')"
[ -x "$BIN" ] || { echo "pandoc.sh: no pandoc binary at $BIN; delete $VENV and retry" >&2; exit 2; }
exec "$BIN" "$@"
