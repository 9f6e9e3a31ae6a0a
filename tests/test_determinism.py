"""The records do not depend on the process: two runs with different hash seeds (as a
worker started by spawn/forkserver, or a Dask worker, gets) write the same bytes.

Python orders a set of strings by a hash salted per process; a result read from a set's
order (which correction comes first, which of two spellings wins) would differ between
processes. Checked on the samples, the dev corpus and OCR-damaged copies of them (marks
dropped, letters' case flipped, codes with a doubled letter) that reach the repair rules."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

from conftest import DEV, SAMPLES

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _damaged(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        r = rng.random()
        if r < 0.06:        # a tone mark lost
            d = unicodedata.normalize("NFD", word)
            words[i] = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        elif r < 0.08 and word.isupper() and len(word) > 2:   # a letter doubled in a code
            k = rng.randrange(len(word))
            words[i] = word[:k] + word[k] + word[k:]
        elif r < 0.09:
            words[i] = word.swapcase()
    return " ".join(words)


def _run(folder: Path, out: Path, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "vn_officialdoc", "parse", str(folder), "--jsonl",
                    str(out), "--jobs", "1", "-q"], check=True, env=env, timeout=600)
    return out.read_bytes()


def test_records_do_not_depend_on_the_hash_seed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    rng = random.Random(11)
    sources = sorted(SAMPLES.glob("*.txt")) + sorted(DEV.glob("*.txt"))
    assert len(sources) >= 50
    for p in sources:
        text = p.read_text(encoding="utf-8")
        (folder / p.name).write_text(text, encoding="utf-8")
        (folder / f"damaged-{p.name}").write_text(_damaged(text, rng), encoding="utf-8")
    first = _run(folder, tmp_path / "a.jsonl", "1")
    second = _run(folder, tmp_path / "b.jsonl", "987654")
    assert first.count(b"\n") == 2 * len(sources)
    assert b'"corrections": [{' in first or b'"corrections":[{' in first   # repairs ran
    assert first == second
