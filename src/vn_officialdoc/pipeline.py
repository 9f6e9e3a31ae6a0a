"""The pipeline, written once: read -> normalize -> segment -> extract -> validate -> emit.

Two levels of API: :func:`annotate_text` / :func:`annotate_file` keep everything (the
annotated :class:`~.letter.Letter` with lines, zones and spans); :func:`parse_text` /
:func:`parse_file` return the validated :class:`~.record.Record`.
"""

from __future__ import annotations

import os

from .extract import extract
from .grammar import Grammar, cpu_budget, load_grammar
from .letter import Letter
from .normalize import normalize
from .read import read_file, read_text
from .record import Record
from .segment import segment
from .validate import validate

STAGES = (normalize, segment, extract, validate)

#: CPU seconds a letter may spend in the stages (plus :data:`BUDGET_PER_MB` per million
#: characters) before it is given up as a runaway pattern; a letter takes milliseconds
LETTER_BUDGET = 10.0
BUDGET_PER_MB = 5.0


def run(letter: Letter, grammar: Grammar | None = None) -> Letter:
    """Run every stage after ``read`` on a Letter, under one CPU budget (see
    :func:`~.grammar.cpu_budget`; raises a ``TimeoutError`` when it runs out)."""
    grammar = grammar or load_grammar()
    with cpu_budget(LETTER_BUDGET + BUDGET_PER_MB * len(letter.raw) / 1e6):
        for stage in STAGES:
            letter = stage(letter, grammar)
    return letter


def annotate_text(text: str, path: str | None = None, grammar: Grammar | None = None) -> Letter:
    return run(read_text(text, path=path), grammar)


def annotate_file(path: str | os.PathLike, encoding: str | None = None,
                  grammar: Grammar | None = None) -> Letter:
    return run(read_file(path, encoding=encoding), grammar)


def record_of(letter: Letter) -> Record:
    return letter.fields["_record"]


def parse_text(text: str, path: str | None = None, grammar: Grammar | None = None) -> Record:
    """Parse the text of one letter into a validated record."""
    return record_of(annotate_text(text, path=path, grammar=grammar))


def parse_file(path: str | os.PathLike, encoding: str | None = None,
               grammar: Grammar | None = None) -> Record:
    """Parse one letter file into a validated record (raises InputError subclasses)."""
    return record_of(annotate_file(path, encoding=encoding, grammar=grammar))
