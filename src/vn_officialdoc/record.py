"""The public record: the output contract of ../shared/SCHEMA.md, as pydantic models.

These models are the single source of truth; ``vn-officialdoc schema`` prints their
JSON Schema. Paths listed in SCHEMA.md are never renamed without a schema_version bump.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    path: Optional[str] = Field(None, description="the input file as given")
    sha256: Optional[str] = Field(None, description="hex SHA-256 of the input bytes")
    encoding: Optional[str] = Field(None, description="encoding the text was decoded from")
    size: int = Field(0, description="size of the input in bytes")
    route: Optional[Literal["text", "pdf-text", "ocr"]] = Field(
        None, description="how the text was obtained: a text file, a PDF's text layer, or OCR")
    engine: Optional[str] = Field(
        None, description="what produced the text for pdf-text/ocr, e.g. 'tesseract 5.3.0 vie'")


class Issuer(_Model):
    name: Optional[str] = Field(None, description="issuing body as printed, e.g. BAN DÂN VẬN")
    parent: Optional[str] = Field(None, description="superior body line above it")


class Header(_Model):
    issuer: Issuer = Field(default_factory=Issuer)
    number: Optional[str] = Field(None, description="number part of 'Số ...', leading zeros kept")
    symbol: Optional[str] = Field(None, description="ký hiệu after the number, spaces removed")
    doc_type: Optional[str] = Field(None, description="type name in sentence case")
    doc_type_code: Optional[str] = Field(None, description="the type's code (CV, KH, QĐ ...)")
    place: Optional[str] = Field(None, description="địa danh of the date line")
    date: Optional[str] = Field(None, description="ISO date of issue")
    subject: Optional[str] = Field(None, description="trích yếu, one line, prefix kept")
    motto: Optional[str] = Field(None, description="the motto line(s) as normalized")
    urgency: Optional[str] = Field(None, description="độ khẩn mark when printed (KHẨN, HỎA TỐC ...)")
    secrecy: Optional[str] = Field(None, description="độ mật mark when printed (MẬT, TỐI MẬT ...)")
    lines: dict[str, list[int]] = Field(
        default_factory=dict,
        description="raw 1-based line numbers each header field came from, by field name")


class Received(_Model):
    number: Optional[str] = None
    date: Optional[str] = Field(None, description="ISO date; a year-less stamp takes the year "
                                "that puts it on or just after the issue date")
    office: Optional[str] = Field(None, description="the receiving office printed on the stamp")
    lines: list[int] = Field(default_factory=list)


class Item(_Model):
    label: str = Field(description="'1', 'II', 'a', '-', 'Điều 1' ...")
    text: str
    line: Optional[int] = Field(None, description="raw line of the item's first line")
    children: list["Item"] = Field(default_factory=list)


class Slogan(_Model):
    text: str
    line: Optional[int] = None


class Reference(_Model):
    number: Optional[str] = None
    symbol: Optional[str] = None
    doc_type: Optional[str] = None
    date: Optional[str] = None
    text: str = Field(description="the citation as printed")
    line: Optional[int] = None


class Signature(_Model):
    authority: Optional[Literal["KT", "TM", "TL", "TUQ", "Q"]] = None
    authority_text: Optional[str] = Field(None, description="the mark line as printed, e.g. 'K/T TRƯỞNG BAN'")
    title: Optional[str] = None
    signer: Optional[str] = None
    lines: list[int] = Field(default_factory=list)


class CopyTo(_Model):
    text: str
    note: Optional[str] = Field(None, description="annotation such as '(B/c)', '(để báo cáo)'")


class Correction(_Model):
    before: str
    after: str
    rule: str
    line: Optional[int] = None
    column: Optional[int] = None
    score: Optional[float] = None


class Warning(_Model):
    field: str
    code: str
    message: str


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    pipeline_version: str = ""
    source: Source = Field(default_factory=Source)
    format: Literal["party", "state", "unknown"] = "unknown"
    header: Header = Field(default_factory=Header)
    received: Optional[Received] = None
    recipients: list[str] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    slogans: list[Slogan] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    signature: Signature = Field(default_factory=Signature)
    copies_to: list[CopyTo] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


Item.model_rebuild()


def json_schema() -> dict:
    return Record.model_json_schema()
