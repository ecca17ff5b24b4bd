#!/usr/bin/env bash
# Checks an EPUB's accessibility with DAISY Ace and prints the outcome and violations.
#
#   scripts/ace.sh FILE.epub [REPORT_DIR]
#
# A manual check (CI does not run it). Ace is installed on first use into .venv-ace/ at
# the repository root with `npm install --ignore-scripts`, so puppeteer does not
# download its own browser; Debian's chromium is used instead (installed with apt-get
# when missing, which needs root). The report goes to REPORT_DIR (default
# out/ace/<file name>/): report.html for people, report.json for tools.
# Exit status: 0 when the outcome is "pass", 1 otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACE_DIR="$ROOT/.venv-ace"
ACE_VERSION="${ACE_VERSION:-1.4.6}"
CHROMIUM=/usr/bin/chromium

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
    echo "usage: $0 FILE.epub [REPORT_DIR]" >&2
    exit 2
fi
EPUB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[ -f "$EPUB" ] || { echo "ace.sh: no such file: $1" >&2; exit 2; }
REPORT_DIR="${2:-$ROOT/out/ace/$(basename "$EPUB" .epub)}"

if [ ! -x "$ACE_DIR/node_modules/.bin/ace-cli" ]; then
    echo "ace.sh: installing @daisy/ace-cli@$ACE_VERSION into $ACE_DIR" >&2
    mkdir -p "$ACE_DIR"
    # A package.json of its own keeps npm from walking up into another project.
    [ -f "$ACE_DIR/package.json" ] || echo '{"private": true}' >"$ACE_DIR/package.json"
    (cd "$ACE_DIR" && npm install --ignore-scripts --no-audit --no-fund "@daisy/ace-cli@$ACE_VERSION" >&2)
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "ace.sh: installing Debian chromium" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
fi

# Ace's puppeteer runner already launches with --no-sandbox (needed as root); puppeteer
# takes the browser from this variable.
export PUPPETEER_EXECUTABLE_PATH="$CHROMIUM"
export PUPPETEER_SKIP_DOWNLOAD=1

mkdir -p "$REPORT_DIR"
set +e
"$ACE_DIR/node_modules/.bin/ace-cli" --force --outdir "$REPORT_DIR" "$EPUB"
code=$?
set -e
REPORT="$REPORT_DIR/report.json"
if [ ! -f "$REPORT" ]; then
    echo "ace.sh: Ace wrote no report (exit $code)" >&2
    exit 1
fi

# Summarize with node, which Ace needs anyway.
node - "$REPORT" <<'JS'
const report = require(process.argv[2]);
const outcome = report["earl:result"]["earl:outcome"];
const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
const lines = [];
for (const assertion of report.assertions || []) {
  for (const a of assertion.assertions || []) {
    if (a["earl:result"]["earl:outcome"] !== "fail") continue;
    const impact = a["earl:test"]["earl:impact"];
    counts[impact] = (counts[impact] || 0) + 1;
    const where = (a["earl:result"].pointer || {}).css || "";
    lines.push(`  ${impact}: ${a["earl:test"]["dct:title"]} — ${assertion["earl:testSubject"].url} ${where}\n    ${a["earl:result"]["dct:description"]}`);
  }
}
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`Ace ${report["earl:assertedBy"]["doap:release"]["doap:revision"]}: outcome ${outcome}`);
console.log(`violations: ${total} (critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor})`);
for (const line of lines) console.log(line);
const meta = report["a11y-metadata"] || {};
if ((meta.missing || []).length) console.log(`optional accessibility metadata not present: ${meta.missing.join(", ")}`);
console.log(`report: ${require("path").dirname(process.argv[2])}/report.html`);
process.exit(outcome === "pass" ? 0 : 1);
JS
