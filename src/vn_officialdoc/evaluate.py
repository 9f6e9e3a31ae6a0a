"""Evaluation against flat gold files, with exactly the rules of GOLD_SPEC.md.

``gold_view`` maps a record to the flat gold format; ``score_letter`` counts true
positives, false positives and false negatives per field; :class:`Report` adds them up
into per-field precision/recall/F1 with support, micro and macro averages, and the share
of letters whose header is entirely right.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import regex

from .errors import GoldError
from .record import Record

SCALAR_FIELDS = ("format", "issuer", "issuer_parent", "number", "symbol", "doc_type", "place",
                 "date", "subject", "received.number", "received.date", "signer",
                 "signer_title", "authority")
LIST_FIELDS = ("recipients", "top_items", "references", "slogans", "copies_to")
FIELDS = SCALAR_FIELDS + LIST_FIELDS
#: the fields of the letter's header (the "header F1" and the whole-header score)
HEADER_FIELDS = ("format", "issuer", "issuer_parent", "number", "symbol", "doc_type", "place",
                 "date", "subject", "received.number", "received.date")
CASEFOLD_FIELDS = ("issuer", "issuer_parent", "signer_title")

_WS = regex.compile(r"\s+")
_PUNCT = regex.compile(r"[\p{P}\p{S}]")
_PAREN = regex.compile(r"\([^()]*\)")
_REF_SEP = regex.compile(r"^(\p{N}+\p{L}?)\s*[-/]\s*")


def _base(s: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", s)).strip()


def norm_scalar(name: str, value: Any) -> str | None:
    if value is None:
        return None
    s = _base(str(value))
    return s.casefold() if name in CASEFOLD_FIELDS else s


def norm_item(name: str, value: str) -> str:
    s = _base(str(value))
    if name == "references":
        s = _REF_SEP.sub(r"\1/", s.replace(" ", ""))
    elif name in ("recipients", "copies_to"):
        if name == "copies_to":
            s = _PAREN.sub(" ", s)
        s = _WS.sub(" ", _PUNCT.sub(" ", s)).strip().casefold()
    return s


def gold_view(record: Record | dict) -> dict[str, Any]:
    """The flat evaluation view of a record (GOLD_SPEC.md)."""
    r = record if isinstance(record, dict) else record.model_dump(mode="json")
    header = r.get("header") or {}
    issuer = header.get("issuer") or {}
    sig = r.get("signature") or {}
    rec = r.get("received")
    refs = []
    for ref in r.get("references") or []:
        if ref.get("number") and ref.get("symbol"):
            refs.append(f"{ref['number']}-{ref['symbol']}")
        elif ref.get("number"):
            refs.append(str(ref["number"]))
    return {
        "format": r.get("format"),
        "issuer": issuer.get("name"), "issuer_parent": issuer.get("parent"),
        "number": header.get("number"), "symbol": header.get("symbol"),
        "doc_type": header.get("doc_type"), "place": header.get("place"),
        "date": header.get("date"), "subject": header.get("subject"),
        "received": None if rec is None else {"number": rec.get("number"), "date": rec.get("date")},
        "recipients": list(r.get("recipients") or []),
        "top_items": [i["label"] for i in r.get("items") or []],
        "signer": sig.get("signer"), "signer_title": sig.get("title"),
        "authority": sig.get("authority"),
        "references": refs,
        "slogans": [s["text"] for s in r.get("slogans") or []],
        "copies_to": [c["text"] for c in r.get("copies_to") or []],
    }


def _scalar(view: dict[str, Any], name: str) -> tuple[bool, Any]:
    """(present, value) of a scalar field, with received.* reaching into the object."""
    if name.startswith("received."):
        if "received" not in view:
            return False, None
        rec = view["received"]
        return True, None if rec is None else rec.get(name.split(".", 1)[1])
    if name not in view:
        return False, None
    return True, view[name]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.support += other.support

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_letter(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, Counts]:
    """Per-field counts for one letter; fields absent from the gold are not scored."""
    out: dict[str, Counts] = {}
    for name in SCALAR_FIELDS:
        present, g = _scalar(gold, name)
        if not present:
            continue
        _, p = _scalar(pred, name)
        g, p = norm_scalar(name, g), norm_scalar(name, p)
        c = Counts(support=int(g is not None))
        if g is not None and p == g:
            c.tp = 1
        else:
            if p is not None:
                c.fp = 1
            if g is not None:
                c.fn = 1
        out[name] = c
    for name in LIST_FIELDS:
        if name not in gold:
            continue
        g_items = Counter(norm_item(name, x) for x in gold[name] or [])
        p_items = Counter(norm_item(name, x) for x in pred.get(name) or [])
        tp = sum((g_items & p_items).values())
        out[name] = Counts(tp=tp, fp=sum(p_items.values()) - tp, fn=sum(g_items.values()) - tp,
                           support=sum(g_items.values()))
    return out


@dataclass
class LetterScore:
    id: str
    counts: dict[str, Counts]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def header_right(self) -> bool:
        return all(c.fp == 0 and c.fn == 0 for n, c in self.counts.items() if n in HEADER_FIELDS)


@dataclass
class Report:
    letters: list[LetterScore] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)

    def fields(self) -> dict[str, Counts]:
        total = {name: Counts() for name in FIELDS}
        for letter in self.letters:
            for name, c in letter.counts.items():
                total[name].add(c)
        return total

    def micro(self, names: Iterable[str] = FIELDS) -> Counts:
        total = Counts()
        per = self.fields()
        for name in names:
            total.add(per[name])
        return total

    def macro_f1(self) -> float:
        per = [c for c in self.fields().values() if c.tp + c.fp + c.fn]
        return sum(c.f1 for c in per) / len(per) if per else 1.0

    def header_right_share(self) -> float:
        return sum(s.header_right for s in self.letters) / len(self.letters) if self.letters else 0.0

    def to_dict(self) -> dict[str, Any]:
        per = self.fields()
        micro, head = self.micro(), self.micro(HEADER_FIELDS)
        return {
            "letters": len(self.letters),
            "failures": self.failures,
            "micro": {"precision": micro.precision, "recall": micro.recall, "f1": micro.f1,
                      "support": micro.support},
            "header": {"precision": head.precision, "recall": head.recall, "f1": head.f1,
                       "support": head.support},
            "macro_f1": self.macro_f1(),
            "header_entirely_right": self.header_right_share(),
            "fields": {n: {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                           "support": c.support, "tp": c.tp, "fp": c.fp, "fn": c.fn}
                       for n, c in per.items()},
            "per_letter": {s.id: {"header_right": s.header_right,
                                  "errors": s.errors} for s in self.letters},
        }

    def table(self) -> str:
        per = self.fields()
        rows = [f"{'field':<16} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]
        for name in FIELDS:
            c = per[name]
            rows.append(f"{name:<16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:8d}")
        micro, head = self.micro(), self.micro(HEADER_FIELDS)
        rows.append("")
        rows.append(f"micro-F1 {micro.f1:.3f} (P {micro.precision:.3f} R {micro.recall:.3f}, "
                    f"support {micro.support})")
        rows.append(f"header-F1 {head.f1:.3f} (P {head.precision:.3f} R {head.recall:.3f})")
        rows.append(f"macro-F1 {self.macro_f1():.3f}")
        rows.append(f"whole header right: {self.header_right_share():.3f} "
                    f"({sum(s.header_right for s in self.letters)}/{len(self.letters)} letters)")
        if self.failures:
            rows.append(f"failed letters: {len(self.failures)}")
        return "\n".join(rows)


def load_gold(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"cannot read gold: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise GoldError("a gold file holds one JSON object", path=str(path))
    return data


def _diff(pred: dict[str, Any], gold: dict[str, Any], counts: dict[str, Counts]) -> list[dict]:
    errs = []
    for name, c in counts.items():
        if c.fp or c.fn:
            if name.startswith("received."):
                g = (gold.get("received") or {}).get(name.split(".")[1])
                p = (pred.get("received") or {}).get(name.split(".")[1])
            else:
                g, p = gold.get(name), pred.get(name)
            errs.append({"field": name, "gold": g, "pred": p})
    return errs


def evaluate_pairs(pairs: Iterable[tuple[str, dict[str, Any] | None, dict[str, Any], str | None]]
                   ) -> Report:
    """Score (id, predicted view or None, gold, error message) tuples."""
    report = Report()
    for letter_id, pred, gold, error in pairs:
        if pred is None:
            report.failures.append({"id": letter_id, "error": error or "no record"})
            pred = {}
        counts = score_letter(pred, gold)
        report.letters.append(LetterScore(letter_id, counts, _diff(pred, gold, counts)))
    return report


def gold_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json"))


def evaluate_folder(folder: Path, records: Path | None = None) -> Report:
    """Evaluate each ``X.txt`` beside ``X.gold.json`` (or records ``X.json`` in ``records``)."""
    from .errors import VnOfficialDocError
    from .pipeline import parse_file

    def pairs():
        for gold_path in gold_files(folder):
            stem = gold_path.name[: -len(".gold.json")]
            gold = load_gold(gold_path)
            try:
                if records is not None:
                    rec_path = records / f"{stem}.json"
                    data = json.loads(rec_path.read_text(encoding="utf-8"))
                    if "error" in data:
                        raise VnOfficialDocError(data["error"].get("message", "error entry"))
                    pred = gold_view(data)
                else:
                    pred = gold_view(parse_file(folder / f"{stem}.txt"))
                yield stem, pred, gold, None
            except (VnOfficialDocError, OSError, ValueError) as exc:
                yield stem, None, gold, str(exc)

    return evaluate_pairs(pairs())
