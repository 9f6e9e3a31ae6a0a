"""vn_officialdoc: Vietnamese official letters from OCR'd text to validated JSON records.

    >>> from vn_officialdoc import parse_text
    >>> parse_text("Số 234-CV/BDVTU").header.number
    '234'

Importing the package is cheap: the pipeline loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["parse_text", "parse_file", "annotate_text", "annotate_file", "Record", "Letter",
           "VnOfficialDocError", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .errors import VnOfficialDocError
    from .letter import Letter
    from .pipeline import annotate_file, annotate_text, parse_file, parse_text
    from .record import Record

_LAZY = {
    "parse_text": "pipeline", "parse_file": "pipeline", "annotate_text": "pipeline",
    "annotate_file": "pipeline", "Record": "record", "Letter": "letter",
    "VnOfficialDocError": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
