#!/usr/bin/env python3
"""Derive the compound-word list ``grammars/gazetteer/words.tsv`` (two-syllable words).

Source: the Vietnamese word list bundled with underthesea (``underthesea/corpus/data/
Viet74K.txt``; underthesea is Apache-2.0). Only words of exactly two syllables made of
letters are kept ('bổ sung', 'công bố', 'chi tiết'), lower case, NFC, with the tone mark
placed the classic way (``tones.key``: 'chuẩn hoá' and 'chuẩn hóa' are one entry), so that
the default code path never imports underthesea.

The list is used only where OCR may have misread a mark in a subject line (see
``header._subject_spelling``): a reading that makes no word with its neighbour, where one
with the same letters does, is read back.

Usage::

    .venv/bin/pip install 'vn_officialdoc[gazetteer]'    # or: pip install underthesea
    .venv/bin/python scripts/build_lexicon.py [--source Viet74K.txt]

The output records the source, its version and the date it was built; commit it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import logging
import unicodedata
from pathlib import Path

log = logging.getLogger("build_lexicon")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "grammars" / "gazetteer" / "words.tsv"


def find_source() -> Path:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise SystemExit("underthesea is not installed: pip install 'vn_officialdoc[gazetteer]' "
                         "or pass --source PATH/TO/Viet74K.txt")
    return Path(spec.origin).parent / "corpus" / "data" / "Viet74K.txt"


def build(source: Path) -> list[str]:
    from vn_officialdoc.grammar import load_grammar
    from vn_officialdoc.tones import key

    grammar = load_grammar()
    words: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip()).lower()
        parts = w.split()
        if len(parts) == 2 and all(p.isalpha() for p in parts):
            words.add(key(" ".join(parts), grammar))
    return sorted(words)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=None, help="path to Viet74K.txt")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    source = args.source or find_source()
    try:
        version = importlib.metadata.version("underthesea")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    words = build(source)
    head = [
        "# Vietnamese words of two syllables, lower case, classic tone placement.",
        f"# source: underthesea {version} underthesea/corpus/data/Viet74K.txt (Apache-2.0)",
        f"# built: {dt.date.today().isoformat()} by scripts/build_lexicon.py",
    ]
    args.out.write_text("\n".join(head + words) + "\n", encoding="utf-8")
    log.info("%d words written to %s", len(words), args.out)


if __name__ == "__main__":
    main()
