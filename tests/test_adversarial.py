"""Adversarial and property tests (issue 4, done when): hostile letters end as a record or
an error entry, none taking more than 2 s of CPU (no catastrophic backtracking anywhere).

Each adversarial case runs in its own child process with a CPU limit (RLIMIT_CPU) and a
wall-clock guard, two at a time: a hang or a runaway pattern cannot stall the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vn_officialdoc.batch import Input, parse_one

#: CPU seconds one letter may take (the issue's bound)
LIMIT = 2.0
#: wall seconds a case's child may take before it is treated as hung
GUARD = 120

LINE = "Số 12/KH-UBND ngày 5 tháng 3 năm 2021 của UBND tỉnh về việc “tăng cường” - "


def _cases() -> dict[str, bytes]:
    deep = "\n".join(".".join(["1"] * d) + ". Nội dung mục" for d in range(1, 400))
    return {
        "one_line_20mb": (LINE * (20_000_000 // len(LINE.encode("utf-8")) + 1)).encode("utf-8"),
        "million_empty_lines": b"\n" * 1_000_000,
        "million_crlf_lines": b"\r\n" * 1_000_000,
        "nul_bytes_in_text": ("CỘNG HÒA\x00 XÃ HỘI\nSố\x00 12/UBND\x00\n" * 2000).encode("utf-8"),
        "deep_numbering": deep.encode("utf-8"),
        "deep_numbering_one_line": ("1." * 200_000 + " x").encode("utf-8"),
        "nested_letters": ("\n".join("  " * i + f"{chr(97 + i % 26)}) mục" for i in range(2000))
                           ).encode("utf-8"),
        "roman_run": (" ".join(["IVXLCDM"] * 50_000)).encode("utf-8"),
        "quotes_run": ('"' * 200_000).encode("utf-8"),
        "curly_quotes_run": ("“" * 100_000 + "”" * 100_000).encode("utf-8"),
        "quote_lines": ('"\n' * 200_000).encode("utf-8"),
        "dashes_run": ("-" * 300_000).encode("utf-8"),
        "dash_space_run": ("- " * 200_000).encode("utf-8"),
        "dash_lines": ("-\n" * 200_000).encode("utf-8"),
        "so_run": ("Số " * 200_000).encode("utf-8"),
        "so_colon_run": ("Số: " * 100_000 + "12/").encode("utf-8"),
        "so_lines": ("Số\n" * 200_000).encode("utf-8"),
        "so_slash_run": ("Số 1/" * 100_000).encode("utf-8"),
        "kinh_gui_lines": ("Kính gửi:\n" * 100_000).encode("utf-8"),
        "noi_nhan_lines": ("Nơi nhận:\n- " * 100_000).encode("utf-8"),
        "ngay_run": ("ngày " * 100_000 + "tháng năm").encode("utf-8"),
        "digits_run": ("1" * 500_000).encode("utf-8"),
        "spaces_then_letter": (" " * 1_000_000 + "x").encode("utf-8"),
        "parentheses_run": ("(" * 200_000).encode("utf-8"),
        "upper_run": ("ĐẢNG " * 100_000).encode("utf-8"),
        "combining_marks": ("a" + "\u0301" * 200_000).encode("utf-8"),
        "long_words_lines": ("Đ" * 20_000 + "\n") .encode("utf-8") * 50,
        "mixed_header_flood": ("TỈNH ỦY QUẢNG TRỊ\nĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 234-CV/BDVTU\n"
                               * 20_000).encode("utf-8"),
        "signature_flood": ("K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n(đã ký)\n" * 30_000).encode("utf-8"),
    }


_CHILD = r"""
import json, signal, sys, time
from pathlib import Path
from vn_officialdoc.grammar import load_grammar
from vn_officialdoc.batch import Input, parse_one

class OverCap(BaseException):  # not an Exception: parse_one lets it through
    pass

def stop(signum, frame):
    raise OverCap()

signal.signal(signal.SIGPROF, stop)
load_grammar()
parse_one(Input(Path(sys.argv[1]), Path("warm.txt")), timeout=None)  # warm caches
cap = float(sys.argv[2])
for name in sys.argv[3:]:
    f = Path(name)
    c0, w0 = time.process_time(), time.perf_counter()
    signal.setitimer(signal.ITIMER_PROF, cap)  # CPU time, this process
    try:
        o = parse_one(Input(f, Path(f.name)), timeout=None)
        res = {"status": o.status, "error": o.error}
    except OverCap:
        res = {"hung": f"stopped after {cap:g} s of CPU"}
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    res.update(case=f.stem, cpu=time.process_time() - c0, wall=time.perf_counter() - w0)
    print(json.dumps(res), flush=True)
"""

#: CPU seconds after which a case is stopped (over LIMIT, so the failure still shows)
CAP = 3.0


def _run_cases(paths: list[Path], warm: Path) -> dict[str, dict]:
    """Run ``paths`` one after the other in one child; a case with no line of result
    hung (or crashed) the child."""
    try:
        r = subprocess.run([sys.executable, "-c", _CHILD, str(warm), str(CAP),
                            *map(str, paths)], capture_output=True, text=True, timeout=GUARD)
        out, err = r.stdout, r.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = f"the child was still running after {GUARD} s"
    results = {}
    for line in out.splitlines():
        obj = json.loads(line)
        results[obj["case"]] = obj
    for p in paths:
        if p.stem not in results:
            results[p.stem] = {"case": p.stem, "hung": f"no result: {err[-1500:]}"}
            break  # the later cases were never run
    return results


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    from concurrent.futures import ThreadPoolExecutor

    root = tmp_path_factory.mktemp("adversarial")
    paths = []
    for name, data in _cases().items():
        paths.append(root / f"{name}.txt")
        paths[-1].write_bytes(data)
    warm = Path(__file__).resolve().parent.parent / "samples" / "S000.txt"
    halves = [paths[0::2], paths[1::2]]  # two children, one per core
    with ThreadPoolExecutor(max_workers=2) as pool:
        results: dict[str, dict] = {}
        for part in pool.map(lambda ps: _run_cases(ps, warm), halves):
            results.update(part)
    # CPU time is noisy on a busy machine: a case over the limit is measured once more and
    # keeps the lower figure (a real slowdown is over the limit both times)
    again = [p for p in paths if p.stem in results and results[p.stem].get("cpu", 0) >= LIMIT
             and "hung" not in results[p.stem]]
    if again:
        for case, r in _run_cases(again, warm).items():
            if "hung" not in r and r["cpu"] < results[case]["cpu"]:
                results[case] = r
    return results


@pytest.mark.parametrize("case", sorted(_cases()))
def test_adversarial_letter_ends_fast_as_record_or_error(adversarial, case):
    got = adversarial.get(case)
    assert got is not None, f"{case}: never run (an earlier case hung its child)"
    assert "hung" not in got, f"{case}: {got.get('hung')}"
    assert got["status"] in ("ok", "warned", "failed")
    if got["status"] == "failed":
        # an error entry is fine for junk, but not an internal error or a timed-out pattern
        assert got["error"]["code"] not in ("E999", "E900", "E901"), got["error"]
    assert got["cpu"] < LIMIT, f"{case} took {got['cpu']:.2f} s of CPU"


def test_adversarial_batch_goes_on(tmp_path):
    """The hostile files through the CLI, in one batch: every file has its entry."""
    src = tmp_path / "in"
    src.mkdir()
    for name, data in _cases().items():
        (src / f"{name}.txt").write_bytes(data[:100_000])
    # --timeout: a letter still parsing after 5 s becomes an error entry (E901)
    r = subprocess.run([sys.executable, "-m", "vn_officialdoc", "parse", str(src), "--jsonl", "-",
                        "--quiet", "--timeout", "5", "--jobs", "2"], capture_output=True,
                       text=True, timeout=GUARD)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert sorted(Path(x["source"]["path"]).name for x in lines) == sorted(
        p.name for p in src.iterdir())


# -- property tests --------------------------------------------------------------------------

_TOKENS = ["Số", "Số:", "số", "/", "-", "–", "—", '"', "“", "”", "'", "(", ")", ":", ".", ",",
           "1", "12", "2021", "I.", "II.", "1.", "1.1.", "a)", "-", "+", "*", "**", "Điều 1.",
           "Kính gửi", "Nơi nhận", "V/v", "ngày", "tháng", "năm", "TM.", "K/T", "TL.",
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
           "ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY", "BAN DÂN VẬN", "CV/BDVTU", "UBND", "QĐ",
           "Nguyễn Văn A", "(đã ký)", "\t", "\u00a0", "\x00", "\x0c", "\ufeff", "\u0301",
           "\x1c", "\x1f", "\x85", "\u2028"]

_texts = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=8)), max_size=300).map(
    lambda parts: "".join(p + (" " if i % 3 else "\n") for i, p in enumerate(parts)))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=_texts, repeat=st.integers(min_value=1, max_value=10))
def test_any_text_ends_fast_as_record_or_error(tmp_path, text, repeat):
    f = tmp_path / "letter.txt"
    f.write_bytes((text * repeat).encode("utf-8", "surrogatepass"))
    c0 = time.process_time()
    o = parse_one(Input(f, Path("letter.txt")), timeout=30)  # the guard: E901 after 30 s
    cpu = time.process_time() - c0
    assert (o.record is None) != (o.error is None)
    if o.error is not None:
        assert o.error["code"] not in ("E999", "E900", "E901"), o.error
    assert cpu < LIMIT, f"{cpu:.2f} s of CPU"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000))
def test_any_bytes_end_as_record_or_error(tmp_path, data):
    f = tmp_path / "letter.txt"
    f.write_bytes(data)
    o = parse_one(Input(f, Path("letter.txt")), timeout=30)
    assert (o.record is None) != (o.error is None)
    if o.error is not None:
        assert o.error["code"] not in ("E999", "E900", "E901"), o.error


#: characters Python's str.split/strip take as white space but the grammar's \\s does not
_PY_ONLY_SPACES = ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("ch", _PY_ONLY_SPACES)
def test_python_only_white_space_in_the_head_is_read_not_a_crash(ch):
    """A head part made of dashes around such a character once trimmed to a "word" that
    str.split found no word in (IndexError, an internal error on the whole letter)."""
    from vn_officialdoc import parse_text

    record = parse_text(f"UBND TỈNH A\n-{ch}-\nKính gửi: ông A\n")
    assert record.header.issuer.name == "UBND TỈNH A"


def test_python_only_white_space_anywhere_in_real_letters_is_no_crash():
    import random

    from vn_officialdoc import parse_text

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text("utf-8") for p in sorted((root / "samples").glob("*.txt"))]
    rng = random.Random(7)
    for k in range(60):
        lines = texts[k % len(texts)].split("\n")
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(lines))
            ch = rng.choice(_PY_ONLY_SPACES)
            j = rng.randint(0, len(lines[i]))
            lines[i] = (lines[i][:j] + ch + lines[i][j:]) if rng.random() < 0.7 else f"-{ch}-"
        parse_text("\n".join(lines))  # raises on a crash


@pytest.mark.parametrize("ch", ["\u00b2", "\u00b9", "\u2074", "\u2460", "\u2474"])
def test_a_digit_int_cannot_read_in_the_date_is_no_crash(ch):
    """'²', '①' ... are str.isdigit() but not int(): in the date of a letter they made the
    header's date reading raise ValueError, an internal error on the whole letter (found
    by a fuzz). The rest of the letter is read; the date is not made up."""
    import regex

    from vn_officialdoc import parse_text

    text = (Path(__file__).resolve().parent.parent / "samples" / "S003.txt").read_text("utf-8")
    day = regex.search(r"ngày (\d)", text)
    assert day is not None
    record = parse_text(text[:day.start(1)] + ch + text[day.start(1) + 1:])
    assert record.header.number == parse_text(text).header.number is not None
    assert record.header.date != parse_text(text).header.date
