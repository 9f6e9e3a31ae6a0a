"""Closed label sets, in one place: zones, formats, authority marks, warning codes."""

from __future__ import annotations

from enum import Enum


class Zone(str, Enum):
    """What part of a letter a line belongs to (segmentation labels)."""

    HEADER = "header"          # issuer, parent, motto, number, place/date
    TITLE = "title"            # type title (KẾ HOẠCH) and trích yếu lines, V/v subject
    STAMP = "stamp"            # incoming stamp: ĐẾN Số ... Ngày ..., Chuyển
    RECIPIENTS = "recipients"  # Kính gửi block
    BODY = "body"              # preamble and numbered items
    CLOSING = "closing"        # closing sentence(s) before Nơi nhận / signature
    COPIES_TO = "copies_to"    # Nơi nhận block
    SIGNATURE = "signature"    # authority mark, title, signer name
    SEAL = "seal"              # seal text mixed into the signature (BAN / DÂN VẬN ...)
    NOISE = "noise"            # e-signature banners, OCR debris, page numbers
    BLANK = "blank"


class DocFormat(str, Enum):
    PARTY = "party"
    STATE = "state"
    UNKNOWN = "unknown"


class Authority(str, Enum):
    KT = "KT"
    TM = "TM"
    TL = "TL"
    TUQ = "TUQ"
    Q = "Q"


class SpanLabel(str, Enum):
    """Labels of field spans (offsets into the normalized text)."""

    ISSUER = "ISSUER"
    ISSUER_PARENT = "ISSUER_PARENT"
    MOTTO = "MOTTO"
    NUMBER = "NUMBER"
    SYMBOL = "SYMBOL"
    DOC_TYPE = "DOC_TYPE"
    PLACE = "PLACE"
    DATE = "DATE"
    SUBJECT = "SUBJECT"
    RECEIVED = "RECEIVED"
    RECIPIENT = "RECIPIENT"
    ITEM = "ITEM"
    SLOGAN = "SLOGAN"
    REFERENCE = "REFERENCE"
    AUTHORITY = "AUTHORITY"
    SIGNER_TITLE = "SIGNER_TITLE"
    SIGNER = "SIGNER"
    COPY_TO = "COPY_TO"
    EMAIL = "EMAIL"
    URGENCY = "URGENCY"
    SECRECY = "SECRECY"


class WarningCode(str, Enum):
    """Codes of record warnings. Each says what the record is unsure of."""

    NO_HEADER = "W001"           # no header zone found: header fields are null
    MISSING_FIELD = "W002"       # a field was not found in its zone
    AMBIGUOUS = "W003"           # several candidates, the first was taken
    INCONSISTENT = "W004"        # values disagree (received before issue date...)
    BAD_DATE = "W005"            # a date that does not exist (31/2)
    EMPTY_INPUT = "W006"         # the file holds no text
    NOT_VIETNAMESE = "W007"      # too few Vietnamese letters to be a letter
    TRUNCATED = "W008"           # the letter seems cut off (no closing parts)
    UNKNOWN_FORMAT = "W009"      # no motto found
    UNKNOWN_TYPE = "W010"        # type title not in the grammar
    YEAR_INFERRED = "W011"       # a year-less stamp date took its year from the issue date
    DECODING = "W012"            # undecodable bytes were replaced
    BINARY = "W013"              # the input looks binary


WARNING_TEXT = {
    WarningCode.NO_HEADER: "no header zone was found; header fields are left empty",
    WarningCode.MISSING_FIELD: "the field was not found in the letter",
    WarningCode.AMBIGUOUS: "several candidates were found; the first one was kept",
    WarningCode.INCONSISTENT: "values in the letter disagree",
    WarningCode.BAD_DATE: "the date does not exist on the calendar",
    WarningCode.EMPTY_INPUT: "the file holds no text",
    WarningCode.NOT_VIETNAMESE: "the text does not look like Vietnamese",
    WarningCode.TRUNCATED: "the letter seems cut off",
    WarningCode.UNKNOWN_FORMAT: "no motto found: neither a Party nor a State letter",
    WarningCode.UNKNOWN_TYPE: "the type title is not in the grammar",
    WarningCode.YEAR_INFERRED: "the stamp date has no year; the year was taken from the issue date",
    WarningCode.DECODING: "some bytes could not be decoded and were replaced",
    WarningCode.BINARY: "the input looks like a binary file",
}
