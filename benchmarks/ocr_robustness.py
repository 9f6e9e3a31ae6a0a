"""How the pipeline holds up on OCR'd text: a seeded noise model, and real Tesseract OCR.

Two experiments over the gold letters (``samples/`` and ``../shared/corpus/dev``), both
scored exactly like ``vn-officialdoc evaluate`` (vn_officialdoc.evaluate):

``noise``  the letters' text with seeded OCR-like damage at several levels: diacritics
           dropped or swapped, ``đ``->``d``, ``O``<->``0``, ``l``<->``1``, lines split,
           merged and lost. Reports micro-F1 and header-F1 against the noise level.
``ocr``    the letters drawn as A4 pages (10-13 pt), degraded like scans (blur,
           speckle noise, a slight rotation, JPEG), read back by Tesseract (``-l vie``),
           parsed and scored against the same gold; beside it the same letters' clean text.
           Pages are drawn in Liberation Serif (fonts-liberation2; else DejaVu Serif), the
           font shrunk until the letter's lines fit, as its own layout did.

Examples (from the checkout; a few minutes on 2 cores)::

    .venv/bin/python benchmarks/ocr_robustness.py noise
    .venv/bin/python benchmarks/ocr_robustness.py ocr --subset clean
    .venv/bin/python benchmarks/ocr_robustness.py ocr --subset clean --limit 5 --dpi 200
    .venv/bin/python benchmarks/ocr_robustness.py all --json out/robustness.json

OCR output is cached in ``benchmarks/_work/ocr`` (keyed by letter, settings and text), so a
second run only re-parses. Needs the ``ocr`` extra and Tesseract with ``vie`` data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import hashlib
import io
import json
import logging
import os
import random
import shutil
import sys
import time
import unicodedata
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
WORK = ROOT / "benchmarks" / "_work" / "ocr"

log = logging.getLogger("ocr_robustness")

TONES = "\u0300\u0301\u0303\u0309\u0323"
HATS = "\u0302\u0306\u031B"


# -- the letters ------------------------------------------------------------------------------
@dataclass
class Gold:
    id: str
    text: str
    gold: dict
    raw_ocr: bool
    corpus: str


def _manifest() -> dict[str, bool]:
    path = DEV / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as f:
        return {row["id"]: row["raw_ocr"].strip() == "yes"
                for row in csv.DictReader(f, delimiter="\t")}


def load_letters(subset: str = "all", limit: int | None = None,
                 only: list[str] | None = None) -> list[Gold]:
    """Gold letters: subset 'clean' (samples + dev raw_ocr = no), 'raw' (dev raw OCR), 'all'."""
    from vn_officialdoc.evaluate import load_gold

    raw_ocr = _manifest()
    out: list[Gold] = []
    for corpus, folder in (("samples", SAMPLES), ("dev", DEV)):
        for gold_path in sorted(folder.glob("*.gold.json")):
            stem = gold_path.name[: -len(".gold.json")]
            txt = folder / f"{stem}.txt"
            if not txt.is_file():
                continue
            is_raw = raw_ocr.get(stem, False) if corpus == "dev" else False
            if subset == "clean" and is_raw or subset == "raw" and not is_raw:
                continue
            if only and stem not in only:
                continue
            out.append(Gold(stem, txt.read_text(encoding="utf-8"), load_gold(gold_path),
                            is_raw, corpus))
    return out[:limit] if limit else out


def score(letters: list[Gold], texts: dict[str, str]):
    """An evaluate.Report of the pipeline on ``texts`` (by id) against the letters' gold."""
    from vn_officialdoc.errors import VnOfficialDocError
    from vn_officialdoc.evaluate import evaluate_pairs, gold_view
    from vn_officialdoc.pipeline import parse_text

    def pairs():
        for g in letters:
            try:
                yield g.id, gold_view(parse_text(texts[g.id], path=g.id)), g.gold, None
            except VnOfficialDocError as exc:
                yield g.id, None, g.gold, str(exc)
            except Exception as exc:  # noqa: BLE001 - a pipeline bug costs the letter, not the run
                log.exception("internal error on %s", g.id)
                yield g.id, None, g.gold, f"internal error: {exc}"

    return evaluate_pairs(pairs())


def _figures(report) -> dict:
    from vn_officialdoc.evaluate import HEADER_FIELDS

    micro, head = report.micro(), report.micro(HEADER_FIELDS)
    return {"micro_f1": round(micro.f1, 4), "header_f1": round(head.f1, 4),
            "support": micro.support, "letters": len(report.letters),
            "failures": len(report.failures)}


# -- (a) the noise model ----------------------------------------------------------------------
def add_noise(text: str, level: float, rng: random.Random) -> str:
    """OCR-like damage; ``level`` is roughly the share of damaged letters/lines."""
    lines = text.split("\n")
    out_lines: list[str] = []
    i = 0
    while i < len(lines):
        line = _noisy_line(lines[i], level, rng)
        r = rng.random()
        if line.strip() and r < level * 0.10:          # a lost line
            i += 1
            continue
        if r < level * 0.35 and i + 1 < len(lines):     # merged with the next line
            line = line + " " + _noisy_line(lines[i + 1], level, rng)
            i += 1
        elif r < level * 0.80 and line.count(" ") >= 4:  # split at a space
            spaces = [k for k, c in enumerate(line) if c == " "]
            k = rng.choice(spaces)
            out_lines.extend([line[:k], line[k + 1:]])
            i += 1
            continue
        out_lines.append(line)
        i += 1
    return "\n".join(out_lines)


def _noisy_line(line: str, level: float, rng: random.Random) -> str:
    out = []
    for k, ch in enumerate(line):
        d = unicodedata.normalize("NFD", ch)
        if len(d) > 1 and d[0].isalpha():
            marks = list(d[1:])
            r = rng.random()
            if r < level * 0.5:                     # drop the tone (and now and then the hat)
                marks = [m for m in marks if m not in TONES]
                if rng.random() < 0.3:
                    marks = [m for m in marks if m not in HATS]
            elif r < level * 0.7:                   # swap the tone for another
                tones = [m for m in marks if m in TONES]
                if tones:
                    marks = [m for m in marks if m not in TONES] + [rng.choice(TONES)]
            ch = unicodedata.normalize("NFC", d[0] + "".join(marks))
        elif ch in "đĐ" and rng.random() < level * 0.5:
            ch = "d" if ch == "đ" else "D"
        elif ch == "0" and rng.random() < level * 0.3:
            ch = "O"
        elif ch == "O" and rng.random() < level * 0.3:
            ch = "0"
        elif ch == "1" and rng.random() < level * 0.2:
            ch = "l"
        elif ch == "l" and rng.random() < level * 0.2:
            ch = "1"
        out.append(ch)
    return "".join(out)


def run_noise(letters: list[Gold], levels: list[float], seed: int) -> list[dict]:
    rows = []
    for level in levels:
        texts = {g.id: add_noise(g.text, level, random.Random(seed * 1_000_003 +
                                                              zlib.crc32(g.id.encode())))
                 for g in letters}
        t0 = time.perf_counter()
        fig = _figures(score(letters, texts))
        fig.update(level=level, seconds=round(time.perf_counter() - t0, 1))
        rows.append(fig)
        log.info("noise %.2f: micro-F1 %.3f header-F1 %.3f", level, fig["micro_f1"],
                 fig["header_f1"])
    return rows


# -- (b) real OCR ------------------------------------------------------------------------------
#: change when render_pages or degrade draw differently (cached OCR text is then stale)
RENDER_VERSION = 2

DEGRADE = {
    "none": dict(blur=0.0, noise=0.0, angle=0.0, jpeg=None),
    "light": dict(blur=0.6, noise=12.0, angle=0.4, jpeg=75),
    "heavy": dict(blur=1.1, noise=28.0, angle=1.2, jpeg=45),
}


def degrade(page, how: str, rng: random.Random):
    """Make a clean page look scanned: blur, speckle noise, a slight rotation, JPEG."""
    from PIL import Image, ImageChops, ImageFilter

    p = DEGRADE[how]
    if p["angle"]:
        page = page.rotate(rng.uniform(-p["angle"], p["angle"]), resample=Image.BICUBIC,
                           expand=False, fillcolor=255)
    if p["blur"]:
        page = page.filter(ImageFilter.GaussianBlur(p["blur"]))
    if p["noise"]:
        noise = Image.effect_noise(page.size, p["noise"])
        page = ImageChops.add(page, ImageChops.invert(noise), scale=1.0, offset=-128)
        page = ImageChops.darker(page, Image.new("L", page.size, 255))
    if p["jpeg"]:
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=p["jpeg"])
        buf.seek(0)
        page = Image.open(buf).convert("L")
    return page


def _ocr_letter(args: tuple[str, str, int, str, int]) -> tuple[str, str, int, float]:
    """(id, OCR text, pages, seconds) of one letter: render, degrade, Tesseract."""
    letter_id, text, dpi, how, seed = args
    from vn_officialdoc import ocr

    t0 = time.perf_counter()
    rng = random.Random(seed * 1_000_003 + zlib.crc32(letter_id.encode()))
    pages = ocr.render_pages(text, dpi=dpi)
    out = [ocr.ocr_image(degrade(page, how, rng)) for page in pages]
    return letter_id, ocr._join_pages(out), len(pages), time.perf_counter() - t0


def run_ocr(letters: list[Gold], dpi: int, how: str, seed: int, jobs: int,
            export: Path | None = None) -> dict:
    from vn_officialdoc import ocr

    engine = f"tesseract {ocr.tesseract_version()} {ocr.LANG}"
    font = f"{ocr.find_font()} {RENDER_VERSION}"
    WORK.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    todo = []
    for g in letters:
        key = hashlib.sha256(f"{g.text}\0{dpi}\0{how}\0{seed}\0{engine}\0{ocr.PSM}\0{font}".encode()
                             ).hexdigest()[:16]
        cache = WORK / f"{g.id}.{key}.txt"
        if cache.is_file():
            texts[g.id] = cache.read_text(encoding="utf-8")
        else:
            todo.append((g, cache))
    pages = 0
    t0 = time.perf_counter()
    if todo:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract process
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            args = [(g.id, g.text, dpi, how, seed) for g, _ in todo]
            for (g, cache), (letter_id, text, n, secs) in zip(todo, pool.map(_ocr_letter, args)):
                cache.write_text(text, encoding="utf-8")
                texts[letter_id] = text
                pages += n
                log.info("OCR %s: %d page(s) in %.1f s", letter_id, n, secs)
    ocr_seconds = time.perf_counter() - t0
    if export is not None:  # the OCR'd texts beside their gold, for `vn-officialdoc evaluate`
        export.mkdir(parents=True, exist_ok=True)
        for g in letters:
            folder = SAMPLES if g.corpus == "samples" else DEV
            (export / f"{g.id}.txt").write_text(texts[g.id], encoding="utf-8")
            shutil.copyfile(folder / f"{g.id}.gold.json", export / f"{g.id}.gold.json")
    clean = _figures(score(letters, {g.id: g.text for g in letters}))
    ocred = _figures(score(letters, texts))
    return {"engine": engine, "dpi": dpi, "degrade": how, "seed": seed,
            "pages_ocred_now": pages, "ocr_seconds": round(ocr_seconds, 1),
            "clean_text": clean, "ocr_text": ocred,
            "delta_micro_f1": round(ocred["micro_f1"] - clean["micro_f1"], 4),
            "letters": [g.id for g in letters]}


# -- the command line ----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["noise", "ocr", "all"])
    ap.add_argument("--subset", choices=["clean", "raw", "all"], default=None,
                    help="letters: clean (samples + dev raw_ocr=no), raw (dev raw OCR), all "
                         "(default: all for noise, clean for ocr)")
    ap.add_argument("--only", default=None, help="comma-separated letter ids")
    ap.add_argument("--limit", type=int, default=None, help="at most this many letters")
    ap.add_argument("--levels", default="0,0.02,0.05,0.1,0.2,0.3", help="noise levels")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--degrade", choices=sorted(DEGRADE), default="light")
    ap.add_argument("--jobs", type=int, default=2, help="Tesseract processes")
    ap.add_argument("--json", default=None, help="write the figures to this file")
    ap.add_argument("--export", default=None, type=Path,
                    help="ocr: also write the OCR'd texts beside copies of their gold files "
                         "in this folder (then: vn-officialdoc evaluate FOLDER --errors)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    only = args.only.split(",") if args.only else None
    result: dict = {"date": _dt.date.today().isoformat()}
    if args.what in ("noise", "all"):
        letters = load_letters(args.subset or "all", args.limit, only)
        levels = [float(x) for x in args.levels.split(",")]
        result["noise"] = {"subset": args.subset or "all", "seed": args.seed,
                           "rows": run_noise(letters, levels, args.seed)}
        print(f"noise model, {len(letters)} letters ({args.subset or 'all'}), seed {args.seed}")
        print(f"{'level':>6} {'micro-F1':>9} {'header-F1':>10}")
        for row in result["noise"]["rows"]:
            print(f"{row['level']:6.2f} {row['micro_f1']:9.3f} {row['header_f1']:10.3f}")
    if args.what in ("ocr", "all"):
        letters = load_letters(args.subset or "clean", args.limit, only)
        res = run_ocr(letters, args.dpi, args.degrade, args.seed, args.jobs, args.export)
        result["ocr"] = res
        print(f"real OCR ({res['engine']}, {args.dpi} dpi, degrade {args.degrade}), "
              f"{len(letters)} letters ({args.subset or 'clean'}); OCR took "
              f"{res['ocr_seconds']} s for {res['pages_ocred_now']} new page(s)")
        print(f"{'text':>10} {'micro-F1':>9} {'header-F1':>10}")
        for name in ("clean_text", "ocr_text"):
            print(f"{name:>10} {res[name]['micro_f1']:9.3f} {res[name]['header_f1']:10.3f}")
        print(f"delta micro-F1 {res['delta_micro_f1']:+.3f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
