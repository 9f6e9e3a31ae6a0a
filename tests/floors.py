"""The accuracy floors that tests/test_dev_floors.py and tests/test_forms.py hold a report
of ``vn-officialdoc evaluate`` to, checked in one place."""

from __future__ import annotations


def floor_failures(report, micro: float, header: float, whole: float,
                   fields: dict[str, float]) -> list[str]:
    """Each floor the report is under, as a line naming the figure and its floor."""
    from vn_officialdoc.evaluate import HEADER_FIELDS

    out = []
    for name, got, floor in (("micro-F1", report.micro().f1, micro),
                             ("header-F1", report.micro(HEADER_FIELDS).f1, header),
                             ("whole header right", report.header_right_share(), whole)):
        if got < floor:
            out.append(f"{name} {got:.3f} under its floor {floor}")
    scores = report.fields()
    for field, floor in sorted(fields.items()):
        if scores[field].f1 < floor:
            out.append(f"{field}: F1 {scores[field].f1:.3f} under its floor {floor}")
    return out
