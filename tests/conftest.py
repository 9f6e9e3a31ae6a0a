"""Shared fixtures: where the samples, the dev corpus and the grammars are."""

from __future__ import annotations

import array
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: the shared corpus sits beside the checkout (../shared), in CI as on a developer's machine
DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def grammar():
    from vn_officialdoc.grammar import load_grammar

    return load_grammar()


@pytest.fixture(scope="session")
def every_char() -> str:
    """Every code point but the surrogates, once (for tests that compare a character
    table or class with the plain definition on all of Unicode)."""
    return (array.array("I", range(0xD800)).tobytes().decode("utf-32-le")
            + array.array("I", range(0xE000, 0x110000)).tobytes().decode("utf-32-le"))


def gold_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json"))
