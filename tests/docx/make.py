#!/usr/bin/env python3
"""Regenerates the .docx fixtures in tests/docx/ from tests/docx/sources/.

Run it through tests/docx/make.sh, which sets up the tools (python-docx, Pillow,
msoffcrypto-tool in .venv-fixtures/; LibreOffice from Debian) and then runs the
pandoc oracle on every result.

    python make.py [--only NAME ...]

Every document is written by a real word processor: python-docx (with its default
template, i.e. Word's own styles) or LibreOffice (soffice --headless --convert-to).
What is changed afterwards is changed here, through python-docx's oxml API or lxml,
and said in README.md: hyperlinks, the header-row mark, alt text and fields that
python-docx has no API for; the Spanish style ids a Spanish Word writes.
"""
import base64
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime, timezone

import docx
import msoffcrypto
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from lxml import etree
from PIL import Image, ImageChops, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "sources")
OUT = HERE
FIXED_TIME = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)
PROTECTED_PASSWORD = "handouts"


# ---------------------------------------------------------------------------
# Pictures, drawn with Pillow (small, and the same on every run)
# ---------------------------------------------------------------------------

def plate_png():
    """400x300: a plate, half vegetables, a quarter protein, a quarter grains."""
    img = Image.new("RGB", (400, 300), (250, 248, 240))
    d = ImageDraw.Draw(img)
    box = (70, 20, 330, 280)
    d.ellipse(box, fill=(255, 255, 255), outline=(150, 150, 150), width=4)
    inner = (90, 40, 310, 260)
    d.pieslice(inner, 90, 270, fill=(90, 170, 80))     # vegetables, left half
    d.pieslice(inner, 270, 360, fill=(200, 150, 100))  # protein, top right
    d.pieslice(inner, 0, 90, fill=(170, 120, 60))      # grains, bottom right
    d.line((200, 40, 200, 260), fill=(255, 255, 255), width=3)
    d.line((200, 150, 310, 150), fill=(255, 255, 255), width=3)
    d.chord((330, 200, 390, 260), 180, 360, fill=(250, 220, 60), outline=(200, 170, 30))
    d.text((115, 140), "vegetables", fill=(255, 255, 255))
    d.text((225, 95), "chicken", fill=(60, 40, 20))
    d.text((222, 195), "brown rice", fill=(255, 255, 255))
    d.text((335, 265), "lemon", fill=(90, 90, 90))
    return to_png(img)


def foot_png():
    """400x300: the sole of a foot and a hand mirror."""
    img = Image.new("RGB", (400, 300), (235, 242, 250))
    d = ImageDraw.Draw(img)
    d.ellipse((60, 90, 170, 280), fill=(240, 200, 170), outline=(180, 130, 100), width=3)
    for i, (x, y, r) in enumerate([(70, 60, 22), (103, 48, 16), (130, 52, 14),
                                   (152, 62, 12), (168, 78, 10)]):
        d.ellipse((x - r, y - r, x + r, y + r), fill=(240, 200, 170),
                  outline=(180, 130, 100), width=2)
    d.ellipse((95, 150, 115, 165), fill=(220, 80, 80))  # a red spot to notice
    d.ellipse((230, 60, 350, 200), fill=(200, 225, 240), outline=(90, 90, 110), width=6)
    d.rectangle((282, 196, 298, 280), fill=(90, 90, 110))
    d.ellipse((262, 100, 318, 160), fill=(240, 200, 170))
    d.text((240, 215), "espejo", fill=(60, 60, 80))
    return to_png(img)


def to_png(img):
    buf = io.BytesIO()
    img.quantize(colors=32, dither=Image.Dither.NONE).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def beach_jpeg(width=3000, height=2000, quality=80):
    """A photo-like JPEG: sky and sand gradients, a soft horizon, fine noise."""
    rng = random.Random(7)
    sky_top, sky_low = (70, 120, 200), (190, 215, 235)
    sand_top, sand_low = (225, 205, 160), (190, 160, 110)
    horizon = int(height * 0.55)
    column = Image.new("RGB", (1, height))
    px = column.load()
    for y in range(height):
        if y < horizon:
            t = y / horizon
            a, b = sky_top, sky_low
        else:
            t = (y - horizon) / (height - horizon)
            a, b = sand_top, sand_low
        px[0, y] = tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))
    img = column.resize((width, height))
    # Broad, blurred "clouds" and "dunes": low-resolution noise, enlarged.
    blobs = Image.effect_noise((width // 50, height // 50), 40).resize(
        (width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(8))
    img = Image.blend(img, Image.merge("RGB", (blobs, blobs, blobs)), 0.12)
    # Fine grain, as a camera sensor gives.
    grain = Image.effect_noise((width, height), 6)
    grain_rgb = Image.merge("RGB", (grain, grain, grain))
    img = ImageChops.add(img, grain_rgb, 1.0, -128)
    d = ImageDraw.Draw(img)
    d.ellipse((2300 + rng.randint(-5, 5), 200, 2500, 400), fill=(255, 250, 225))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


PICTURES = {"plate.png": plate_png, "foot.png": foot_png, "beach.jpg": beach_jpeg}


# ---------------------------------------------------------------------------
# The source format and its rendering with python-docx
# ---------------------------------------------------------------------------

def read_source(name):
    """[(kind, text)] from sources/NAME: "kind: text" lines, # comments."""
    blocks = []
    with open(os.path.join(SOURCES, name), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, text = line.partition(": ")
            if not sep:
                raise SystemExit(f"{name}:{number}: not 'kind: text': {line!r}")
            blocks.append((kind, text))
    return blocks


INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|\[(.+?)\]\((\S+?)\)")


def add_inline(paragraph, text):
    """Runs for **bold**, *italic*, [text](address) and plain text."""
    pos = 0
    for m in INLINE.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos:m.start()])
        if m.group(1) is not None:
            paragraph.add_run(m.group(1)).bold = True
        elif m.group(2) is not None:
            paragraph.add_run(m.group(2)).italic = True
        else:
            add_hyperlink(paragraph, m.group(3), m.group(4))
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def hyperlink_style(document):
    """The character style Word adds the first time a document gets a hyperlink."""
    styles = document.styles
    if "Hyperlink" not in [s.name for s in styles]:
        style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.base_style = styles["Default Paragraph Font"]
        style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        style.font.underline = True
        style.unhide_when_used = True
        style.priority = 99
    return styles["Hyperlink"]


def add_hyperlink(paragraph, text, url):
    """python-docx has no hyperlink API: the oxml route of its docs and issues."""
    style = hyperlink_style(paragraph.part.document)
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), style.style_id)
    rpr.append(rstyle)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def add_field(paragraph, instr, result, simple=False):
    """A field as Word writes it: complex (fldChar begin/separate/end) or fldSimple."""
    if simple:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {instr} ")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = result
        r.append(t)
        fld.append(r)
        paragraph._p.append(fld)
        return
    for part in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if part == "instr":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = f" {instr} "
            run._r.append(it)
        elif part == "result":
            run.text = result
        else:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), part)
            run._r.append(fc)


def add_text_with_tokens(paragraph, text):
    """{PAGE} -> PAGE field, {SEQ} -> SEQ Figure field, {TAB} -> tab; the rest inline."""
    for piece in re.split(r"(\{PAGE\}|\{SEQ\}|\{TAB\})", text):
        if piece == "{PAGE}":
            add_field(paragraph, "PAGE", "1")
        elif piece == "{SEQ}":
            add_field(paragraph, r"SEQ Figure \* ARABIC", "1", simple=True)
        elif piece == "{TAB}":
            paragraph.add_run().add_tab()
        elif piece:
            add_inline(paragraph, piece)


def style_num_id(document, style_name):
    return document.styles[style_name].element.pPr.numPr.numId.val


def restarted_num(document, style_name):
    """A new w:num on the style's abstractNum, with lvlOverride/startOverride 1."""
    numbering = document.part.numbering_part.element
    num_id = style_num_id(document, style_name)
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def set_num(paragraph, num_id, ilvl=0):
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


def mark_header_row(table):
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def add_picture(document, file_name, alt, width_in):
    data = PICTURES[file_name]()
    shape = document.add_picture(io.BytesIO(data), width=Inches(width_in))
    # python-docx writes <wp:docPr id=".." name="Picture N"/>; Word keeps alt text in descr.
    shape._inline.docPr.set("descr", alt)
    return shape


def set_core(document, meta):
    props = document.core_properties
    props.title = meta.get("title", "")
    props.author = meta.get("author", "")
    props.last_modified_by = meta.get("author", "")
    props.language = meta.get("language", "")
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""


def render(blocks, document=None):
    """A python-docx Document from (kind, text) blocks."""
    document = document or docx.Document()
    meta = {}
    table = None
    numbered_num = None  # the w:num of the current restarted numbered list
    section = document.sections[0]
    for kind, text in blocks:
        if kind != "row":
            table = None
        if kind.startswith("meta."):
            meta[kind[5:]] = text
        elif kind == "header":
            p = section.header.paragraphs[0]
            p.style = document.styles["Header"]
            add_text_with_tokens(p, text)
        elif kind == "footer":
            p = section.footer.paragraphs[0]
            p.style = document.styles["Footer"]
            add_text_with_tokens(p, text)
        elif kind == "title":
            add_inline(document.add_paragraph(style="Title"), text)
        elif kind in ("h1", "h2", "h3"):
            add_inline(document.add_paragraph(style=f"Heading {kind[1]}"), text)
        elif kind == "p":
            add_inline(document.add_paragraph(), text)
        elif kind in ("bullet", "bullet2"):
            style = "List Bullet" if kind == "bullet" else "List Bullet 2"
            add_inline(document.add_paragraph(style=style), text)
        elif kind == "number.restart":
            numbered_num = restarted_num(document, "List Number")
            p = document.add_paragraph(style="List Number")
            set_num(p, numbered_num)
            add_inline(p, text)
        elif kind == "number":
            p = document.add_paragraph(style="List Number")
            if numbered_num is not None:
                set_num(p, numbered_num)
            add_inline(p, text)
        elif kind == "table":
            cells = text.split(" | ")
            table = document.add_table(rows=1, cols=len(cells))
            table.style = document.styles["Table Grid"]
            for cell, value in zip(table.rows[0].cells, cells):
                cell.text = ""
                run = cell.paragraphs[0].add_run(value)
                run.bold = True
            mark_header_row(table)
        elif kind == "row":
            if table is None:
                raise SystemExit(f"row without a table: {text!r}")
            cells = table.add_row().cells
            for cell, value in zip(cells, text.split(" | ")):
                add_inline(cell.paragraphs[0], value)
            continue
        elif kind == "image":
            file_name, alt, width = text.split(" | ")
            add_picture(document, file_name, alt, float(width))
        elif kind == "caption":
            add_text_with_tokens(document.add_paragraph(style="Caption"), text)
        else:
            raise SystemExit(f"unknown block kind {kind!r}")
        if kind not in ("number", "number.restart"):
            numbered_num = None  # a later "number" goes back to the style's own list
    set_core(document, meta)
    return document


def save_docx(document, name):
    buf = io.BytesIO()
    document.save(buf)
    write_normalised(buf.getvalue(), os.path.join(OUT, name))


def write_normalised(data, path):
    """The same zip entries, in the same order and with the same compression (an
    ODT's "mimetype" stays first and stored), with fixed times: an unchanged source
    then gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 3, 2, 9, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    with open(path, "wb") as f:
        f.write(out.getvalue())


# ---------------------------------------------------------------------------
# The fixtures
# ---------------------------------------------------------------------------

def make_en_low_salt():
    save_docx(render(read_source("en-low-salt.txt")), "en-low-salt.docx")


def make_en_empty():
    document = docx.Document()
    set_core(document, {})
    save_docx(document, "en-empty.docx")


def make_en_protected():
    document = render(read_source("en-protected.txt"))
    plain = io.BytesIO()
    document.save(plain)
    plain.seek(0)
    encrypted = io.BytesIO()
    office = msoffcrypto.OfficeFile(plain)
    # ECMA-376 agile encryption, as Word's "Encrypt with Password" writes: an OLE
    # compound file with EncryptionInfo and EncryptedPackage streams, not a zip.
    office.encrypt(PROTECTED_PASSWORD, encrypted)
    with open(os.path.join(OUT, "en-protected.docx"), "wb") as f:
        f.write(encrypted.getvalue())


def make_en_big_photo():
    save_docx(render(read_source("en-big-photo.txt")), "en-big-photo.docx")


def make_en_twenty_pages():
    blocks = read_source("en-twenty-pages.txt")
    head = []
    topics = []
    for kind, text in blocks:
        if kind == "topic":
            topics.append({"name": text, "sentence": [], "tip": [], "step": [], "row": []})
        elif topics:
            topics[-1][kind].append(text)
        else:
            head.append((kind, text))
    out = list(head)
    for n in range(20):
        topic = topics[n % len(topics)]
        round_ = n // len(topics)
        sentences = topic["sentence"]
        k = (n * 3) % len(sentences)
        rotated = sentences[k:] + sentences[:k]
        out.append(("h1", f"Part {n + 1}: {topic['name']}" + (" (review)" if round_ else "")))
        # Three paragraphs, each of the rotated sentences, in three different orders.
        for part in range(3):
            order = rotated[part::3] + rotated[:part] if part else rotated
            out.append(("p", " ".join(order)))
        out.append(("h2", "Tips to try"))
        tips = topic["tip"][round_ % len(topic["tip"]):] + topic["tip"][:round_ % len(topic["tip"])]
        out.extend(("bullet", t) for t in tips)
        out.append(("h2", "Step by step"))
        for i, step in enumerate(topic["step"]):
            out.append(("number.restart" if i == 0 else "number", step))
        if topic["row"] and n % 2 == 0:
            out.append(("p", "The table below sums this up."))
            out.append(("table", topic["row"][0]))
            out.extend(("row", r) for r in topic["row"][1:])
        out.append(("p", " ".join(reversed(rotated[:4]))))
    save_docx(render(out), "en-twenty-pages.docx")


# ---------------------------------------------------------------------------
# LibreOffice
# ---------------------------------------------------------------------------

def soffice_convert(source, target_ext, filter_name=None):
    """Converts source with `soffice --headless --convert-to`; returns the bytes.

    A private, throw-away user profile keeps this from touching (or waiting for) any
    LibreOffice that someone else runs."""
    with tempfile.TemporaryDirectory(prefix="docx-fixtures-lo-") as tmp:
        convert_to = f"{target_ext}:{filter_name}" if filter_name else target_ext
        subprocess.run(
            ["nice", "soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", convert_to, "--outdir", tmp, source],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        out = os.path.join(tmp, os.path.splitext(os.path.basename(source))[0] + "." + target_ext)
        with open(out, "rb") as f:
            return f.read()


def make_en_libreoffice_asthma():
    source = os.path.join(SOURCES, "en-libreoffice-asthma.fodt")
    write_normalised(soffice_convert(source, "docx", "MS Word 2007 XML"),
                     os.path.join(OUT, "en-libreoffice-asthma.docx"))
    write_normalised(soffice_convert(source, "odt", "writer8"),
                     os.path.join(OUT, "en-libreoffice-asthma.odt"))
    with open(os.path.join(OUT, "en-libreoffice-asthma.doc"), "wb") as f:
        f.write(soffice_convert(source, "doc", "MS Word 97"))


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag):
    return f"{{{W_NS}}}{tag}"


# What LibreOffice 7.4 calls a style (id) -> (the id a Spanish Word writes, the
# w:name Word writes). Word builds a style id from the style's *localised* name with
# everything but ASCII letters and digits left out ("Título 1" -> "Ttulo1"), and
# writes the English built-in name in w:name, lowercase for the old built-ins
# ("heading 1", "caption", "footnote text"). Seen in styles.xml of Spanish Word 365
# documents in public repositories: Ttulo, Ttulo1, Ttulo2, Prrafodelista,
# Fuentedeprrafopredeter, Textonotapie, Refdenotaalpie, Hipervnculo, Descripcin.
SPANISH_WORD_STYLES = {
    "Title": ("Ttulo", "Title"),
    "Heading1": ("Ttulo1", "heading 1"),
    "Heading2": ("Ttulo2", "heading 2"),
    "TextBody": ("Textoindependiente", "Body Text"),
    "ListParagraph": ("Prrafodelista", "List Paragraph"),
    "Caption": ("Descripcin", "caption"),
    "Footnote": ("Textonotapie", "footnote text"),
    "FootnoteAnchor": ("Refdenotaalpie", "footnote reference"),
    "InternetLink": ("Hipervnculo", "Hyperlink"),
}
CUSTOM_OUTLINE_STYLE = "Subttuloclnica"  # "Subtítulo clínica": LibreOffice drops the
# accented letters from the id as Word does.
STYLE_REFERENCES = ("pStyle", "rStyle", "basedOn", "next", "link", "tblStyle", "numStyleLink",
                    "styleLink")


def spanish_word_styles(data):
    """LibreOffice's .docx with the styles as a Spanish Word names them (lxml only):
    ids and names from SPANISH_WORD_STYLES, references to them renamed in every
    part; the clinic's custom style marked custom, based on Normal, and given the
    outline level 1 (Word's "Nivel 2") in its pPr, which LibreOffice 7.4 leaves out
    of the style (it keeps a non-heading style's outline level only in the ODT)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {}
    for info in src.infolist():
        blob = src.read(info.filename)
        if info.filename.startswith("word/") and info.filename.endswith(".xml"):
            root = etree.fromstring(blob)
            changed = False
            for el in root.iter(*(w(t) for t in STYLE_REFERENCES)):
                old = el.get(w("val"))
                if old in SPANISH_WORD_STYLES:
                    el.set(w("val"), SPANISH_WORD_STYLES[old][0])
                    changed = True
            if info.filename == "word/styles.xml":
                for style in root.iter(w("style")):
                    old = style.get(w("styleId"))
                    if old in SPANISH_WORD_STYLES:
                        new_id, new_name = SPANISH_WORD_STYLES[old]
                        style.set(w("styleId"), new_id)
                        style.find(w("name")).set(w("val"), new_name)
                    elif old == CUSTOM_OUTLINE_STYLE:
                        style.set(w("customStyle"), "1")
                        if style.find(w("basedOn")) is None:
                            based = etree.Element(w("basedOn"))
                            based.set(w("val"), "Normal")
                            style.find(w("name")).addnext(based)
                        ppr = style.find(w("pPr"))
                        outline = etree.SubElement(ppr, w("outlineLvl"))
                        outline.set(w("val"), "1")
                changed = True
            if changed:
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
        parts[info.filename] = blob
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, parts[info.filename])
    return out.getvalue()


def make_es_pies_diabetes():
    with open(os.path.join(SOURCES, "es-pies-diabetes.fodt"), encoding="utf-8") as f:
        source = f.read()
    picture = base64.b64encode(foot_png()).decode("ascii")
    with tempfile.TemporaryDirectory(prefix="docx-fixtures-src-") as tmp:
        filled = os.path.join(tmp, "es-pies-diabetes.fodt")
        with open(filled, "w", encoding="utf-8") as f:
            f.write(source.replace("@FOOT_PNG_BASE64@", picture))
        data = soffice_convert(filled, "docx", "MS Word 2007 XML")
    write_normalised(spanish_word_styles(data), os.path.join(OUT, "es-pies-diabetes.docx"))


MAKERS = {
    "en-low-salt": make_en_low_salt,
    "en-empty": make_en_empty,
    "en-protected": make_en_protected,
    "en-big-photo": make_en_big_photo,
    "en-twenty-pages": make_en_twenty_pages,
    "en-libreoffice-asthma": make_en_libreoffice_asthma,
    "es-pies-diabetes": make_es_pies_diabetes,
}


def main(argv):
    names = list(MAKERS)
    if argv[:1] == ["--only"]:
        names = argv[1:]
    for name in names:
        MAKERS[name]()
        print(f"make.py: {name}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
