#!/usr/bin/env bash
# Regenerates the .docx fixtures in tests/docx/ (and the .odt/.doc beside them) from
# tests/docx/sources/, then runs the pandoc oracle on each and saves its answer as
# tests/docx/NAME.pandoc.json. See tests/docx/README.md.
#
#   bash tests/docx/make.sh                 (everything)
#   bash tests/docx/make.sh --only NAME...  (some fixtures; e.g. --only en-low-salt)
#
# Needs python3 (with venv and pip), network access to PyPI the first time, and
# LibreOffice (Debian: apt-get install -y libreoffice-writer-nogui). The Python tools
# go into .venv-fixtures/ at the repository root, pinned below; pandoc comes from
# scripts/pandoc.sh. Not run by the tests or CI: the generated files are committed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-fixtures"
PINS="python-docx==1.2.0 lxml==6.2.1 Pillow==13.0.0 msoffcrypto-tool==6.1.0"
MARKER="$VENV/.installed-$(echo "$PINS" | tr ' =' '_-')"

if [ ! -f "$MARKER" ]; then
    echo "make.sh: installing $PINS into $VENV" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    # shellcheck disable=SC2086
    "$VENV/bin/pip" install -q --disable-pip-version-check $PINS >&2
    touch "$MARKER"
fi
command -v soffice >/dev/null || {
    echo "make.sh: LibreOffice is missing (apt-get install -y libreoffice-writer-nogui)" >&2
    exit 2
}
echo "make.sh: $(soffice --version 2>/dev/null | head -1)" >&2

nice "$VENV/bin/python" "$HERE/make.py" "$@"

# The oracle's view of every fixture pandoc can open (not the encrypted one: pandoc
# exits 63 there, "couldn't unpack docx container").
names=()
if [ "${1:-}" = "--only" ]; then
    shift
    names=("$@")
else
    for file in "$HERE"/*.docx; do names+=("$(basename "$file" .docx)"); done
fi
for name in "${names[@]}"; do
    [ "$name" = "en-protected" ] && continue
    [ -f "$HERE/$name.docx" ] || continue
    python3 "$HERE/structure.py" "$HERE/$name.docx" >"$HERE/$name.pandoc.json"
    echo "make.sh: $name.pandoc.json" >&2
done
