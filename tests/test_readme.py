"""The README's "Use as a library" examples run, as a reader would paste them.

Each ```python block under the heading ``## Use as a library`` (down to the next ``## ``
heading) runs in a fresh namespace with the checkout as the current folder. A block that
imports an optional package (spaCy) is skipped, with the reason, when that extra is absent.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re

import pytest

from conftest import ROOT

HEADING = "## Use as a library"
#: optional packages a block may import, and the extra that brings each
OPTIONAL = {"spacy": "spacy", "pandas": "export", "matplotlib": "notebook"}


def library_blocks(text: str) -> list[str]:
    if HEADING not in text.splitlines():
        return []
    section = text.split(HEADING + "\n", 1)[1]
    section = re.split(r"^## (?!#)", section, maxsplit=1, flags=re.M)[0]
    return re.findall(r"^```python\n(.*?)^```", section, flags=re.M | re.S)


README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = library_blocks(README)


def test_section_is_there():
    if not BLOCKS:
        pytest.skip(f"README.md has no '{HEADING}' section with python examples yet "
                    "(its text is waiting to be merged)")
    assert len(BLOCKS) >= 3
    assert any("parse_file" in b for b in BLOCKS) and any("annotate_" in b for b in BLOCKS)


def test_library_blocks_splits_sections():
    text = ("## Other\n```python\nx = 0\n```\n" + HEADING + "\ntext\n```python\na = 1\n```\n"
            "### Sub\n```python\nb = 2\n```\n```bash\nls\n```\n## Next\n```python\nc = 3\n```\n")
    assert library_blocks(text) == ["a = 1\n", "b = 2\n"]
    assert library_blocks("# nothing\n") == []


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_example_runs(index, monkeypatch):
    block = BLOCKS[index]
    for module, extra in OPTIONAL.items():
        if re.search(rf"^\s*(import|from) {module}\b", block, flags=re.M) and \
                importlib.util.find_spec(module) is None:
            pytest.skip(f"this example needs the '{extra}' extra ({module} is not installed)")
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    namespace: dict = {"__name__": "__readme__"}
    with contextlib.redirect_stdout(printed):
        exec(compile(block, f"README.md ({HEADING}, block {index + 1})", "exec"), namespace)
    assert printed.getvalue().strip(), "every example prints what it shows"
