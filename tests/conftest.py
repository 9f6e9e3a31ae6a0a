"""Shared fixtures: where the samples, the dev corpus and the grammars are."""

from __future__ import annotations

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


def gold_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json"))
