"""One error hierarchy with codes. Messages say what to do."""

from __future__ import annotations


class VnOfficialDocError(Exception):
    """Base of every error the library raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, text: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.text = text
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f" (line {self.line})" if self.line is not None else ""
        return f"[{self.code}] {where}{self.message}{at}"

    def to_dict(self) -> dict:
        return {"code": self.code, "error": type(self).__name__, "message": self.message,
                "path": self.path, "line": self.line}


class InputError(VnOfficialDocError):
    """The input cannot be read as a letter."""

    code = "E100"


class UnreadableFileError(InputError):
    """The file cannot be opened (missing, a broken link, no permission, a folder)."""

    code = "E101"


class DecodingError(InputError):
    """The bytes decode in no supported encoding; pass --encoding to force one."""

    code = "E102"


class BinaryInputError(InputError):
    """The file is binary (an image, an archive, an executable), not text."""

    code = "E103"


class InputTooLargeError(InputError):
    """The file is larger than the configured limit."""

    code = "E104"


class GrammarError(VnOfficialDocError):
    """A grammar file under grammars/ is invalid."""

    code = "E200"


class GoldError(VnOfficialDocError):
    """A gold file cannot be read or does not follow GOLD_SPEC.md."""

    code = "E300"


class OutputError(VnOfficialDocError):
    """An output cannot be written (path outside the output folder, disk full...)."""

    code = "E400"


class TimeLimitError(VnOfficialDocError):
    """One letter took longer than the batch's time limit (``parse --timeout``).

    A letter of a few pages parses in milliseconds: this is a slow pattern somewhere in
    the pipeline. Report the file; the batch goes on without it.
    """

    code = "E901"
