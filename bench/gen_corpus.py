#!/usr/bin/env python3
"""Deterministic benchmark corpus for `handouts`.

Writes N articles by recombining the headings, paragraphs, sentences and lists of the
articles in content/ with a fixed seed, 200-1250 words of body each (1-5 printed US Letter pages at 12.5 pt).
Most paragraphs are new combinations of source sentences, so that (as with real
articles) few paragraphs repeat across the corpus and a typesetter cannot win by
caching whole paragraphs:

    bench/gen_corpus.py N OUT_DIR [--seed S] [--content DIR] [--languages en,es,…] [--no-pandoc]

OUT_DIR/handouts/NNNNN.md  Markdown with the front matter handouts reads
                           (title, lang, reviewed; summary on some)
OUT_DIR/pandoc/NNNNN.md    the same text with pandoc's metadata keys
                           (title, lang, date; abstract for summary)

With `--languages`, the articles come in translation groups: article i is in language
`languages[i % L]` and translates the others of group i // L (file `GGGGG.md` for the
first language, `GGGGG.LANG.md` for the rest, as a clinic names translations). English
draws from content/; every other language from bench/langs/LANG.toml, sentences written
for the benchmark in that language. A group shares its topic, title aspect and length.

The same N, seed and languages always give byte-identical files (Python 3.11 stdlib only).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from pathlib import Path

LIST_MARKERS = re.compile(r"^\s*(?:[-–—•*]|\d+[.)]|[a-z]\))\s+")
BOILERPLATE = ("popular posts from this blog", "share this article", "related articles")
LEAD_IN = re.compile(r"^([A-Z][\w’' -]{2,40}):\s+(.+)$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“])")

ACTION_HEADINGS = [
    "When should I call my care team?",
    "Call your care team right away if",
    "When to call the clinic",
]
TOPICS = [
    "kidney cancer", "bladder cancer", "prostate cancer", "lung cancer", "breast cancer",
    "melanoma", "colon cancer", "lymphoma", "bone metastases", "liver metastases",
    "brain metastases", "ovarian cancer", "pancreatic cancer", "sarcoma", "myeloma",
]
ASPECTS = [
    "What to expect", "Questions and answers", "Treatment options", "Living with",
    "Managing side effects of", "Understanding", "Caring for yourself with",
    "Nutrition and", "Clinical trials for", "Pain relief in", "Follow-up care after",
]


class Pool:
    """The building blocks taken from the source articles."""

    def __init__(self) -> None:
        self.headings: list[str] = []
        self.paragraphs: list[str] = []
        self.lead_ins: list[tuple[str, str]] = []
        self.lists: list[list[str]] = []
        self.sentences: list[str] = []
        self.action_headings: list[str] = ACTION_HEADINGS
        self.topics: list[str] = TOPICS
        self.aspects: list[str] = ASPECTS
        self.handout_word = "handout"


def read_language_pool(path: Path) -> Pool:
    """A language's sentences for the benchmark (bench/langs/LANG.toml)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pool = Pool()
    pool.sentences = data["sentences"]
    pool.headings = data["headings"]
    pool.lead_ins = [(lead, "") for lead in data["lead_ins"]]
    pool.action_headings = data["action_headings"]
    pool.topics = data["topics"]
    pool.aspects = data["aspects"]
    pool.handout_word = data["handout_word"]
    return pool


def front_matter_split(text: str) -> str:
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                return "\n".join(lines[i + 1 :])
    return text


def is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 12 and not line.endswith((".", ":", ",", ";"))


def read_pool(content: Path) -> Pool:
    pool = Pool()
    # The four .txt articles only: the example .md article's picture line would turn
    # sentences into pictures, and the corpus must stay comparable across runs.
    files = sorted(p for p in content.iterdir() if p.suffix == ".txt")
    if not files:
        sys.exit(f"{content}: no .txt or .md articles to recombine")
    for path in files:
        body = front_matter_split(path.read_text(encoding="utf-8"))
        current_list: list[str] = []
        for raw in body.splitlines():
            line = raw.strip()
            if not line:
                continue
            if line.lower() in BOILERPLATE:
                break  # web leftovers follow
            if LIST_MARKERS.match(line):
                current_list.append(LIST_MARKERS.sub("", line, count=1))
                continue
            if current_list:
                pool.lists.append(current_list)
                current_list = []
            if is_heading(line):
                pool.headings.append(line)
            elif (m := LEAD_IN.match(line)) and len(m.group(1).split()) <= 4:
                pool.lead_ins.append((m.group(1), m.group(2)))
            elif words(line) >= 8:
                pool.paragraphs.append(line)
            pool.sentences.extend(s for s in SENTENCE.split(line) if 6 <= len(s.split()) <= 40)
        if current_list:
            pool.lists.append(current_list)
    return pool


def words(text: str) -> int:
    # Chinese has no spaces between words: about two characters make one.
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return len(text.split()) + cjk // 2


def make_paragraph(rng: random.Random, pool: Pool) -> str:
    if rng.random() < 0.1 and pool.paragraphs:
        return rng.choice(pool.paragraphs)
    return " ".join(rng.sample(pool.sentences, k=rng.randint(2, 6)))


def make_list(rng: random.Random, pool: Pool) -> list[str]:
    if pool.lists and rng.random() < 0.1:
        return list(rng.choice(pool.lists))
    return rng.sample(pool.sentences, k=min(len(pool.sentences), rng.randint(3, 6)))


def make_article(
    rng: random.Random, pool: Pool, index: int, lang: str = "en", group: tuple[int, int, int] | None = None
) -> tuple[dict, list[str]]:
    """Front matter and Markdown body lines of article `index`. `group`: the length, topic
    and aspect a translation group shares (drawn here when None)."""
    if group is None:
        target = rng.randint(200, 1250)
        topic = rng.choice(pool.topics)
        aspect = rng.choice(pool.aspects)
    else:
        target, topic_index, aspect_index = group
        topic, aspect = pool.topics[topic_index], pool.aspects[aspect_index]
    title = f"{aspect} {topic}: {pool.handout_word} {index:05d}"
    meta = {
        "title": title,
        "lang": lang,
        "reviewed": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    if rng.random() < 0.3:
        meta["summary"] = rng.choice(pool.sentences)
    lines: list[str] = []
    count = 0

    def add(block: str) -> None:
        nonlocal count
        lines.append(block)
        lines.append("")
        count += words(block)

    add(make_paragraph(rng, pool))
    action_done = False
    while count < target:
        if not action_done and count > target * 0.6 and rng.random() < 0.5:
            add("## " + rng.choice(pool.action_headings))
            add("\n".join("- " + s for s in make_list(rng, pool)))
            action_done = True
            continue
        if rng.random() < 0.5:
            add("## " + rng.choice(pool.headings))
        else:
            add(f"## {rng.choice(pool.aspects)} {rng.choice(pool.topics)}")
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            if kind < 0.65:
                add(make_paragraph(rng, pool))
            elif kind < 0.8 and pool.lead_ins:
                lead, _ = rng.choice(pool.lead_ins)
                add(f"**{lead}:** {make_paragraph(rng, pool)}")
            else:
                items = make_list(rng, pool)
                if rng.random() < 0.25:
                    add("\n".join(f"{i}. {s}" for i, s in enumerate(items, 1)))
                else:
                    add("\n".join("- " + s for s in items))
            if count >= target:
                break
    return meta, lines


def yaml_front(meta: dict) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    out = ["---"]
    for key, value in meta.items():
        out.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    out.append("---")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder (handouts/ and pandoc/ are made inside)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    parser.add_argument("--languages", default="en", help="comma-separated language tags (default: en)")
    parser.add_argument("--no-pandoc", action="store_true", help="write no pandoc/ copies")
    args = parser.parse_args()

    languages = [tag.strip() for tag in args.languages.split(",") if tag.strip()]
    pools = {
        lang: read_pool(args.content) if lang == "en" else read_language_pool(Path(__file__).resolve().parent / "langs" / f"{lang}.toml")
        for lang in languages
    }
    rng = random.Random(args.seed)
    ho_dir = args.out / "handouts"
    pd_dir = args.out / "pandoc"
    for d in (ho_dir, pd_dir):
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.md"):
            old.unlink()
    total_words = 0
    group: tuple[int, int, int] | None = None
    for i in range(args.n):
        number, position = divmod(i, len(languages))
        lang = languages[position]
        pool = pools[lang]
        if len(languages) == 1:
            meta, lines = make_article(rng, pool, i)
        else:
            if position == 0:
                group = (rng.randint(200, 1250), rng.randrange(len(TOPICS)), rng.randrange(len(ASPECTS)))
            meta, lines = make_article(rng, pool, number, lang, group)
        body = "\n".join(lines)
        total_words += words(body)
        name = f"{number:05d}.md" if position == 0 else f"{number:05d}.{lang}.md"
        (ho_dir / name).write_text(yaml_front(meta) + body, encoding="utf-8")
        if args.no_pandoc:
            continue
        pd_meta = {"title": meta["title"], "lang": meta["lang"], "date": meta["reviewed"]}
        if "summary" in meta:
            pd_meta["abstract"] = meta["summary"]
        (pd_dir / name).write_text(yaml_front(pd_meta) + body, encoding="utf-8")
    print(
        f"{args.n} articles, {total_words} words (mean {total_words // max(args.n, 1)}) in {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
