"""The record's JSON Schema carries every public path of SCHEMA.md."""

from __future__ import annotations

import regex
import pytest

from conftest import ROOT
from vn_officialdoc.record import Record, json_schema

SCHEMA_MD = ROOT.parent / "shared" / "SCHEMA.md"

PATHS = [
    "schema_version", "source.path", "source.sha256", "source.encoding", "format",
    "header.issuer.name", "header.issuer.parent", "header.number", "header.symbol",
    "header.doc_type", "header.place", "header.date", "header.subject", "received.number",
    "received.date", "received.office", "recipients", "items.label", "items.text",
    "items.children", "slogans.text", "references.number", "references.symbol",
    "references.doc_type", "references.date", "references.text", "signature.authority",
    "signature.title", "signature.signer", "copies_to.text", "copies_to.note",
    "corrections.before", "corrections.after", "corrections.rule", "warnings.field",
    "warnings.code", "warnings.message",
]


def _resolve(schema: dict, node: dict) -> dict:
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        elif node.get("type") == "array" and "items" in node:
            node = node["items"]
        else:
            return node


def _has_path(schema: dict, path: str) -> bool:
    node = schema
    for part in path.split("."):
        node = _resolve(schema, node)
        props = node.get("properties", {})
        if part not in props:
            return False
        node = props[part]
    return True


@pytest.mark.parametrize("path", PATHS)
def test_schema_has_path(path):
    assert _has_path(json_schema(), path), path


def test_schema_md_paths_listed():
    if not SCHEMA_MD.exists():
        pytest.skip("../shared/SCHEMA.md is not beside the checkout")
    text = SCHEMA_MD.read_text("utf-8")
    paths = []
    for cell in regex.findall(r"^\| (`[^|]+`) \|", text, flags=regex.M):
        for p in regex.findall(r"`([a-z_0-9.\[\]]+)`", cell):
            paths.append(p.replace("[]", ""))
    assert len(paths) >= 20, paths
    for p in paths:
        assert _has_path(json_schema(), p), f"SCHEMA.md path {p} missing from the record"


def test_authority_values():
    schema = json_schema()
    sig = schema["$defs"]["Signature"]["properties"]["authority"]
    values = {v for n in sig["anyOf"] for v in n.get("enum", [])}
    assert values == {"KT", "TM", "TL", "TUQ", "Q"}


def test_default_record_validates():
    r = Record()
    assert Record.model_validate_json(r.model_dump_json()) == r
