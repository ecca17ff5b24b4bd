#!/usr/bin/env python3
"""The pandoc oracle for the .docx reader: prints the structure of one .docx as JSON.

    python3 tests/docx/structure.py FILE.docx

Runs `scripts/pandoc.sh -f docx -t json --track-changes=accept FILE` (pandoc 3.9 from
the pinned pypandoc_binary wheel) and prints ONE JSON object:

    {"title": "..." or null,
     "headings": [[level, "text"], ...],
     "items": [[depth, ordered, "text"], ...],
     "tables": [{"header": ["..."], "rows": [["...", ...], ...]}],
     "alts": ["..."],
     "links": ["https://..."],
     "footnotes": ["..."]}

- title: pandoc's metadata `title` (pandoc moves the Title-style paragraph there; it
  also reads docProps/core.xml's title), or null.
- headings: pandoc's Header blocks, level as pandoc gives it (Heading 1 -> 1).
- items: every list item, in document order, with its depth (1 = top level), whether
  its list is ordered, and the text of its own first block (Para or Plain; "" when it
  starts with something else). A nested list's items follow their parent's.
- tables: the header row's cells (all header rows' cells, row after row; [] when the
  table has none) and the body rows; a cell's text is all its blocks' text.
- alts: the alt text of every image, in order: the Image's own inlines, which pandoc
  fills from wp:docPr's descr (a Caption-style paragraph after the picture becomes
  the Figure's caption instead, which is not reported here).
- links: every link's target, in order (including those inside tables and notes).
- footnotes: the text of every footnote (and endnote), in order of reference.

When pandoc fails (an encrypted file, a .doc), this prints pandoc's message on stderr,
nothing on stdout, and exits 1.

Texts are plain: emphasis and the like are dropped, footnote markers and images are
left out, whitespace runs become one space, and the ends are trimmed. Only the
standard library is used, so any python3 runs this.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PANDOC = os.path.join(HERE, "..", "..", "scripts", "pandoc.sh")


def collapse(text):
    return " ".join(text.split())


def inline_text(inlines):
    """Plain text of a list of pandoc inlines, without notes and images."""
    out = []
    for node in inlines:
        kind = node["t"]
        content = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript",
                      "Subscript", "SmallCaps"):
            out.append(inline_text(content))
        elif kind == "Quoted":
            quote = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            out.append(quote[0] + inline_text(content[1]) + quote[1])
        elif kind == "Cite":
            out.append(inline_text(content[1]))
        elif kind in ("Code", "Math"):
            out.append(content[1])
        elif kind == "RawInline":
            pass
        elif kind in ("Link", "Span"):
            out.append(inline_text(content[1]))
        elif kind in ("Image", "Note"):
            pass
        else:
            raise SystemExit(f"structure.py: unknown inline {kind}")
    return "".join(out)


def blocks_text(blocks):
    """Plain text of blocks, each block's text separated by a space."""
    parts = []
    for block in blocks:
        kind = block["t"]
        content = block.get("c")
        if kind in ("Para", "Plain", "Header"):
            parts.append(inline_text(content if kind != "Header" else content[2]))
        elif kind == "LineBlock":
            parts.extend(inline_text(line) for line in content)
        elif kind in ("BlockQuote", "Div"):
            parts.append(blocks_text(content if kind == "BlockQuote" else content[1]))
        elif kind == "BulletList":
            parts.extend(blocks_text(item) for item in content)
        elif kind == "OrderedList":
            parts.extend(blocks_text(item) for item in content[1])
        elif kind == "DefinitionList":
            for term, defs in content:
                parts.append(inline_text(term))
                parts.extend(blocks_text(d) for d in defs)
        elif kind == "CodeBlock":
            parts.append(content[1])
        elif kind == "Table":
            for row in table_rows(content)[0] + table_rows(content)[1]:
                parts.extend(row)
        elif kind == "Figure":
            parts.append(blocks_text(content[2]))
    return collapse(" ".join(parts))


def table_rows(content):
    """(header rows, body rows) of a pandoc 3 Table, each row a list of cell texts."""
    _attr, _caption, _colspecs, head, bodies, foot = content

    def rows_of(rows):
        return [[blocks_text(cell[4]) for cell in row[1]] for row in rows]

    header = rows_of(head[1])
    body = []
    for tbody in bodies:
        # TableBody: attr, row head columns, intermediate head rows, body rows
        body += rows_of(tbody[2]) + rows_of(tbody[3])
    body += rows_of(foot[1])
    return header, body


class Walker:
    def __init__(self):
        self.headings = []
        self.items = []
        self.tables = []
        self.alts = []
        self.links = []
        self.notes = []

    def blocks(self, blocks, depth):
        for block in blocks:
            self.block(block, depth)

    def block(self, block, depth):
        kind = block["t"]
        content = block.get("c")
        if kind in ("Para", "Plain"):
            self.inlines(content, depth)
        elif kind == "Header":
            self.headings.append([content[0], collapse(inline_text(content[2]))])
            self.inlines(content[2], depth)
        elif kind == "LineBlock":
            for line in content:
                self.inlines(line, depth)
        elif kind == "BlockQuote":
            self.blocks(content, depth)
        elif kind == "Div":
            self.blocks(content[1], depth)
        elif kind in ("BulletList", "OrderedList"):
            ordered = kind == "OrderedList"
            for item in content[1] if ordered else content:
                first = item[0] if item else None
                text = ""
                if first is not None and first["t"] in ("Para", "Plain"):
                    text = collapse(inline_text(first["c"]))
                self.items.append([depth + 1, ordered, text])
                self.blocks(item, depth + 1)
        elif kind == "DefinitionList":
            for term, defs in content:
                self.inlines(term, depth)
                for d in defs:
                    self.blocks(d, depth)
        elif kind == "Table":
            header, body = table_rows(content)
            flat_header = [cell for row in header for cell in row]
            self.tables.append({"header": flat_header, "rows": body})
            _attr, caption, _colspecs, head, bodies, foot = content
            self.blocks(caption[1], depth)
            for row in head[1] + [r for b in bodies for r in b[2] + b[3]] + foot[1]:
                for cell in row[1]:
                    self.blocks(cell[4], depth)
        elif kind == "Figure":
            self.blocks(content[1][1], depth)  # caption
            self.blocks(content[2], depth)
        # CodeBlock, RawBlock, HorizontalRule: nothing to collect

    def inlines(self, inlines, depth):
        for node in inlines:
            kind = node["t"]
            content = node.get("c")
            if kind == "Image":
                self.alts.append(collapse(inline_text(content[1])))
            elif kind == "Link":
                self.links.append(content[2][0])
                self.inlines(content[1], depth)
            elif kind == "Note":
                self.notes.append(blocks_text(content))
                self.blocks(content, depth)
            elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript",
                          "Subscript", "SmallCaps"):
                self.inlines(content, depth)
            elif kind == "Span":
                self.inlines(content[1], depth)
            elif kind == "Quoted":
                self.inlines(content[1], depth)
            elif kind == "Cite":
                self.inlines(content[1], depth)


def meta_text(value):
    kind = value["t"]
    content = value["c"]
    if kind == "MetaString":
        return content
    if kind == "MetaInlines":
        return inline_text(content)
    if kind == "MetaBlocks":
        return blocks_text(content)
    if kind == "MetaList":
        return " ".join(meta_text(v) for v in content)
    return ""


def structure(ast):
    walker = Walker()
    walker.blocks(ast["blocks"], 0)
    title = ast.get("meta", {}).get("title")
    return {
        "title": collapse(meta_text(title)) if title is not None else None,
        "headings": walker.headings,
        "items": walker.items,
        "tables": walker.tables,
        "alts": walker.alts,
        "links": walker.links,
        "footnotes": walker.notes,
    }


def dumps(obj):
    """One JSON object, a key a line and a list entry a line, for readable diffs."""
    lines = ["{"]
    keys = list(obj)
    for i, key in enumerate(keys):
        value = obj[key]
        comma = "," if i < len(keys) - 1 else ""
        head = f" {json.dumps(key)}: "
        if isinstance(value, list) and value:
            lines.append(head + "[")
            for j, entry in enumerate(value):
                sep = "," if j < len(value) - 1 else ""
                lines.append("  " + json.dumps(entry, ensure_ascii=False) + sep)
            lines.append(" ]" + comma)
        else:
            lines.append(head + json.dumps(value, ensure_ascii=False) + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: structure.py FILE.docx")
    result = subprocess.run(
        ["bash", PANDOC, "-f", "docx", "-t", "json", "--track-changes=accept", sys.argv[1]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if result.returncode != 0:
        # e.g. an encrypted .docx (an OLE file, not a zip): pandoc exits 63 with
        # "couldn't unpack docx container: ...". No JSON is printed then.
        message = result.stderr.decode("utf-8", "replace").strip()
        sys.stderr.write(f"structure.py: pandoc exited {result.returncode}: {message}\n")
        sys.exit(1)
    sys.stdout.write(dumps(structure(json.loads(result.stdout))))


if __name__ == "__main__":
    main()
