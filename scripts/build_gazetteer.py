#!/usr/bin/env python3
"""Derive the compact place gazetteer ``grammars/gazetteer/places.tsv`` (names only).

Source: the administrative-unit table bundled with underthesea (``underthesea/address/
data/mapping.json``, itself built from the ``vietnamadminunits`` package): the 63 provinces
before and the 34 provinces after the reform of 2025-07-01, the districts of the old
two-level map and the wards/communes of both. Only names are kept, one per line with their
level, so that the default code path never imports underthesea.

Usage::

    .venv/bin/pip install 'vn_officialdoc[gazetteer]'    # or: pip install underthesea
    .venv/bin/python scripts/build_gazetteer.py [--source mapping.json]

The output records the source, its version and the date it was built; commit it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import logging
import unicodedata
from pathlib import Path

log = logging.getLogger("build_gazetteer")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "grammars" / "gazetteer" / "places.tsv"

#: unit-type prefixes stripped to get the short name (longest first)
PREFIXES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh",
            "Xã")


def find_source() -> Path:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise SystemExit("underthesea is not installed: pip install 'vn_officialdoc[gazetteer]' "
                         "or pass --source PATH/TO/mapping.json")
    return Path(spec.origin).parent / "address" / "data" / "mapping.json"


def short(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    for p in PREFIXES:
        if name.startswith(p + " "):
            return name[len(p) + 1:].strip()
    return name


def build(source: Path) -> list[tuple[str, str]]:
    data = json.loads(source.read_text(encoding="utf-8"))
    rows: set[tuple[str, str]] = set()
    for info in data["province_names"].values():
        rows.add(("province", short(info["short"])))
    for info in data["old_province_names"].values():
        rows.add(("province", short(info["short"])))
    for rec in data["ward_mapping"]:
        if rec.get("old_district"):
            rows.add(("district", short(rec["old_district"])))
        for key in ("old_ward", "new_ward"):
            if rec.get(key):
                rows.add(("ward", short(rec[key])))
    # a name that is a province is not repeated at lower levels
    provinces = {n for k, n in rows if k == "province"}
    rows = {(k, n) for k, n in rows if k == "province" or n not in provinces}
    order = {"province": 0, "district": 1, "ward": 2}
    return sorted(rows, key=lambda r: (order[r[0]], r[1]))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=None, help="path to mapping.json")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    source = args.source or find_source()
    meta = json.loads(source.read_text(encoding="utf-8")).get("metadata", {})
    version = "?"
    try:
        from importlib.metadata import version as _v
        version = _v("underthesea")
    except Exception:  # noqa: BLE001 - the version is only recorded, never needed
        log.info("underthesea version unknown (source given by path)")
    rows = build(source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = [
        "# Vietnamese place names (provinces, districts, wards/communes), names only.",
        f"# source: underthesea {version} underthesea/address/data/mapping.json "
        f"(from vietnamadminunits {meta.get('version', '?')}, effective "
        f"{meta.get('effective_date', '?')}: {meta.get('old_provinces', '?')} old and "
        f"{meta.get('new_provinces', '?')} new provinces)",
        f"# built: {dt.date.today().isoformat()} by scripts/build_gazetteer.py",
        "# columns: level<TAB>name",
    ]
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write("\n".join(header) + "\n")
        for kind, name in rows:
            fh.write(f"{kind}\t{name}\n")
    log.info("wrote %d names to %s", len(rows), args.out)


if __name__ == "__main__":
    main()
