"""Issue 3: subject, signature, references and slogans on OCR'd letters.

Each test is built from a short made-up letter (or line) of the form OCR damage takes,
with the value read off the text by hand; none is copied from a dev letter.
"""

from __future__ import annotations

import pytest

from vn_officialdoc.pipeline import annotate_text, parse_text

HEAD = """UỶ BAN NHÂN DÂN
HUYỆN MINH SƠN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 15/QĐ-UBND
Minh Sơn, ngày 03 tháng 5 năm 2024

"""

TAIL = """
Nơi nhận:
- Như Điều 3;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Bình
"""


def letter(title_and_subject: str, body: str, tail: str = TAIL) -> str:
    return HEAD + title_and_subject + "\n\n" + body + "\n" + tail


# -- subject words with misread marks -------------------------------------------------
def test_subject_marks_read_back_from_words_and_letter():
    text = letter(
        "QUYẾT ĐỊNH\nVề việc sửa đối, bỗ sung Quy chế tổ chức hội thi",
        "Căn cứ Quy chế tổ chức hội thi;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Sửa đổi, bổ sung Điều 2 của Quy chế như sau.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
        "Điều 3. Văn phòng và các phòng chịu trách nhiệm thi hành./.")
    found = annotate_text(text)
    assert found.fields["header.subject"] == "Về việc sửa đổi, bổ sung Quy chế tổ chức hội thi"
    fixes = [(c["before"], c["after"]) for c in found.corrections
             if c["rule"] == "subject.letter_spelling"]
    assert fixes == [("đối", "đổi"), ("bỗ", "bổ")]


def test_subject_word_that_makes_a_word_is_kept_even_if_the_body_differs():
    # 'chuyển giao' is a word: the body's 'chuyên giao' (an OCR slip there) changes nothing
    text = letter(
        "QUYẾT ĐỊNH\nVề việc chuyển giao trụ sở làm việc",
        "Điều 1. Đồng ý chủ trương chuyên giao trụ sở.\n"
        "Điều 2. Giao Văn phòng chuyên giao hồ sơ.\n"
        "Điều 3. Các phòng chịu trách nhiệm thi hành./.")
    assert parse_text(text).header.subject == "Về việc chuyển giao trụ sở làm việc"


def test_subject_function_word_used_elsewhere_is_kept():
    # 'tỉnh' makes no word with 'Minh' or 'đợt', but the letter uses it elsewhere as printed
    text = letter(
        "KẾ HOẠCH\nTổ chức hội thi cấp tỉnh đợt 2 năm 2024",
        "Thực hiện chỉ đạo của tỉnh về hội thi, UBND huyện ban hành kế hoạch.\n"
        "1. Mục đích: các xã tham gia hội thi của tỉnh.")
    assert parse_text(text).header.subject == "Tổ chức hội thi cấp tỉnh đợt 2 năm 2024"


def test_subject_reading_the_letter_writes_beside_the_same_word():
    # 'Chuân' makes no word with a neighbour; the letter writes 'Chuẩn chương' twice
    text = letter(
        "QUYẾT ĐỊNH\nBan hành Chuân chương trình bồi dưỡng giáo viên",
        "Điều 1. Ban hành kèm theo Quyết định này Chuẩn chương trình bồi dưỡng.\n"
        "Điều 2. Chuẩn chương trình được áp dụng từ năm học 2024 - 2025.\n"
        "Điều 3. Các phòng chịu trách nhiệm thi hành./.")
    assert parse_text(text).header.subject == "Ban hành Chuẩn chương trình bồi dưỡng giáo viên"


def test_subject_name_is_never_respelled():
    text = letter(
        "QUYẾT ĐỊNH\nVề việc đặt tên đường Long Thành",
        "Điều 1. Đặt tên đường Lòng Thành cho tuyến mới.\n"
        "Điều 2. Các phòng chịu trách nhiệm thi hành./.")
    assert parse_text(text).header.subject == "Về việc đặt tên đường Long Thành"


# -- the subject's last line and the line after it --------------------------------------
def test_subject_last_word_alone_on_its_line():
    # a long subject line wrapped before its last word, read as a symbol 'COVID-19'
    text = letter(
        "QUYẾT ĐỊNH\nVề việc hỗ trợ kinh phí mua trang thiết bị y tế cho các trạm y tế xã phòng, chống\n"
        "COVID-19\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN",
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Hỗ trợ kinh phí.\nĐiều 2. Hiệu lực.\nĐiều 3. Thi hành./.")
    assert parse_text(text).header.subject == (
        "Về việc hỗ trợ kinh phí mua trang thiết bị y tế cho các trạm y tế xã phòng, chống "
        "COVID-19")


def test_subject_number_after_a_dash_alone_on_its_line():
    # 'Covid -' / '19': the line reading takes the lone '19' for debris
    text = letter(
        "KẾ HOẠCH\nTuyên truyền phòng, chống dịch Covid -\n19",
        "Thực hiện chỉ đạo của tỉnh, UBND huyện ban hành kế hoạch như sau:\n"
        "1. Mục đích: tuyên truyền.")
    assert parse_text(text).header.subject == "Tuyên truyền phòng, chống dịch Covid - 19"


def test_subject_stops_before_the_authority_line_in_capitals():
    # OCR glued a stray letter before the authority line: it starts in lower case
    text = letter(
        "QUYẾT ĐỊNH\nV/v ban hành Quy chế làm việc của Ủy ban nhân dân huyện\n\n"
        "t CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN MINH SƠN",
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Ban hành Quy chế.\nĐiều 2. Hiệu lực.\nĐiều 3. Thi hành./.")
    assert parse_text(text).header.subject == (
        "V/v ban hành Quy chế làm việc của Ủy ban nhân dân huyện")


# -- references -------------------------------------------------------------------------
def refs(body: str) -> list[str]:
    rec = parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", body))
    return [f"{r.number}/{r.symbol}" for r in rec.references]


@pytest.mark.parametrize("line,expected", [
    # a space inside the number or the year, right after 'số'
    ("Căn cứ Nghị định số 1 23/2024/NĐ-CP của Chính phủ;", ["123/2024/NĐ-CP"]),
    ("Căn cứ Quyết định số I 005/QĐ-TTg của Thủ tướng;", ["1005/QĐ-TTg"]),
    ("Căn cứ Quyết định số 12/201 9/QĐ-UBND của UBND tỉnh;", ["12/2019/QĐ-UBND"]),
    # the term of the National Assembly split off or misread after QH
    ("Căn cứ Luật số 47/2019/QH 14 ngày 22 tháng 11 năm 2019;", ["47/2019/QH14"]),
    ("Căn cứ Luật số 47/2019/OH14 ngày 22 tháng 11 năm 2019;", ["47/2019/QH14"]),
    ("Căn cứ Luật số 47/2019/QHI 4 ngày 22 tháng 11 năm 2019;", ["47/2019/QH14"]),
    # after the year, type and issuer are joined by '-'
    ("Căn cứ Thông tư số 15/2020/TT/BTC của Bộ Tài chính;", ["15/2020/TT-BTC"]),
    # a speck read as a dot inside a code; a doubled Đ
    ("theo Thông báo số 77/TB-QL.CL ngày 5 tháng 3 năm 2021;", ["77/TB-QLCL"]),
    ("tại Quyết định số 4321/QĐÐUBND ngày 2 tháng 3 năm 2021;", ["4321/QĐ-UBND"]),
    # a blank number read as 0 is no citation
    ("(Ban hành kèm theo Thông tư số 0 /2016/TT-BGDĐT)", []),
    # a sentence ending after a symbol is not part of it
    ("theo Quyết định số 12/QĐ-UBND.Các phòng thực hiện.", ["12/QĐ-UBND"]),
])
def test_reference_ocr_forms(line, expected):
    assert refs(line) == expected


# -- slogans --------------------------------------------------------------------------------
def slogans(body: str) -> list[str]:
    rec = parse_text(letter("KẾ HOẠCH\nTuyên truyền an toàn giao thông năm 2024", body))
    return [s.text for s in rec.slogans]


def test_slogan_cue_on_the_line_above():
    body = ("1. Mục đích\n"
            "Vận động đoàn viên, hội viên tích cực xây dựng và nhân rộng các mô hình\n"
            'về "Xóm làng an toàn giao thông" đạt hiệu quả, với phương châm\n'
            '"nói đi đôi với làm" trong mọi hoạt động.')
    assert slogans(body) == ["nói đi đôi với làm"]


def test_slogan_cue_with_misread_marks():
    body = ('1. Tổ chức triển lăm ảnh "Những nẻo đường bình yên" tại nhà văn hóa huyện,\n'
            'hưởng ứng tinh thần "đã nói là làm" của toàn dân.')
    assert slogans(body) == ["đã nói là làm"]


def test_slogan_quote_in_debris_line_is_skipped():
    # a stray quote on a line of OCR debris must not open a quote over the next lines
    body = ('1. Mục đích\nBảo vệ sức khỏe của nhân dân.\n\n`"\n\n'
            'Với tinh thần "sớm hơn, quyết liệt hơn" trong mọi việc.')
    assert slogans(body) == ["sớm hơn, quyết liệt hơn"]


# -- signature ------------------------------------------------------------------------------
BODY = "Điều 1. Ban hành Quy chế.\nĐiều 2. Hiệu lực.\nĐiều 3. Các phòng thi hành./."


def test_title_beside_copies_with_glued_debris_and_misread_marks():
    # two columns flattened: the title is at the end of a copies-to line, debris glued
    # before it and its marks misread ('PHỚ', 'ĐÓC')
    tail = ("\nNơi nhận: KT. GIÁM ĐÓC\n- Như Điều 3; \"fPHỚ GIÁM ĐÓC\n- Lưu: VT.\n\n"
            "Lê Văn Tâm\n")
    sig = parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", BODY, tail)).signature
    assert (sig.authority, sig.title, sig.signer) == ("KT", "PHÓ GIÁM ĐỐC", "Lê Văn Tâm")


def test_cut_html_tag_does_not_end_the_signature():
    tail = ("\nNơi nhận:<br>\n- Như Điều 3;<br>\n- Lưu: VT.\n\n<strong>KT. HIỆU TRƯỞNG<br>\n"
            "PHÓ HIỆU TRƯỞNG</strong>\n\n<brb\n\n<p>\n<strong>Phạm Thu Hà</strong>\n</p>\n")
    sig = parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", BODY, tail)).signature
    assert (sig.title, sig.signer) == ("PHÓ HIỆU TRƯỞNG", "Phạm Thu Hà")


def test_html_tags_around_a_title_without_mark_or_copies_list():
    """A tail with neither 'Nơi nhận' nor a signing mark starts at a title followed by a
    name; that title is read without its HTML tags, as the rest of the tail is."""
    text = ("Kính gửi: Các phòng chuyên môn.\n\nĐề nghị các phòng báo cáo kết quả trước "
            "ngày 30/9/2021.\n\n<td><strong>GIÁM ĐỐC</strong></td>\n\n"
            "<td>Nguyễn Văn An</td>\n")
    sig = parse_text(text).signature
    assert (sig.title, sig.signer) == ("GIÁM ĐỐC", "Nguyễn Văn An")


def test_reference_in_lower_cased_ocr_text():
    # an OCR output lower-cased and stripped of '/': codes come back in capitals
    body = ("điều 1 . bãi bỏ quyết định số 512 qđ-ubnd ngày 3 4 2023 và quyết định số 77 qd-bgddt "
            "ngày 5 6 2023 của bộ giáo dục và đào tạo ; thông tư số 9 2021 tt-btc .\n"
            "điều 2 . hiệu lực .\nđiều 3 . thi hành .")
    assert refs(body) == ["512/QĐ-UBND", "77/QĐ-BGDĐT", "9/2021/TT-BTC"]


def test_reference_issuer_read_back_from_the_letters_own_code():
    # the letter is of SGDĐT (its symbol, its text); OCR read 'SGDĐT' as 'SGHĐT' in a citation
    body = ("Căn cứ Quyết định số 215/QĐ-SGHĐT ngày 2 tháng 3 năm 2023 của Giám đốc SGDĐT;\n"
            "Điều 1. Ban hành Quy chế.\nĐiều 2. Hiệu lực.\nĐiều 3. Thi hành./.")
    assert refs(body) == ["215/QĐ-SGDĐT"]


def test_reference_issuer_differing_in_its_last_letter_is_kept():
    # 'BTGTU' and 'BTGTW' are two bodies: a code is never changed in its last letter
    body = ("Thực hiện Hướng dẫn số 12-HD/BTGTU của Ban Tuyên giáo Tỉnh ủy và Hướng dẫn số "
            "9-HD/BTGTW của Ban Tuyên giáo Trung ương;\n1. Mục đích.")
    assert refs(body) == ["12/HD/BTGTU", "9/HD/BTGTW"]


def test_reference_issuer_of_another_party_level_is_kept():
    # a district committee's board (BTGHU) cites its provincial board (BTGTU): the codes
    # differ in one letter inside, the level, and are two bodies
    body = ("Thực hiện Hướng dẫn số 71-HD/BTGTU ngày 3/4/2023 của Ban Tuyên giáo Tỉnh ủy, "
            "Ban Tuyên giáo Huyện ủy (BTGHU) hướng dẫn như sau:\n1. Mục đích.")
    assert refs(body) == ["71/HD/BTGTU"]


def test_reference_of_a_joint_circular_with_many_issuers():
    body = ("Căn cứ Thông tư liên tịch số 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC ngày "
            "29/12/2017;\n1. Mục đích.")
    assert refs(body) == ["01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC"]


def test_reference_issuer_with_a_doubled_letter():
    # 'SYT' (Sở Y tế) is a known code; OCR doubled its last letter
    assert refs("Thực hiện Công văn số 1200/UBND-SYTT ngày 3 tháng 4 năm 2021;\n1. Mục đích.") \
        == ["1200/UBND-SYT"]


# -- the word list --------------------------------------------------------------------------
def test_word_list_holds_two_syllable_words(grammar):
    from vn_officialdoc.gazetteer import two_syllable_words

    words, by_skeleton, syllables = two_syllable_words(grammar)
    assert {"bổ sung", "công bố", "chi tiết"} <= words
    assert "bồ sung" not in words
    assert all(len(w.split(" ")) == 2 for w in words)
    assert "bổ sung" in by_skeleton["bo sung"]


def test_missing_word_list_leaves_the_subject_as_printed(tmp_path):
    import shutil

    from vn_officialdoc.grammar import grammar_root, load_grammar

    for f in grammar_root().glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    g = load_grammar(str(tmp_path))
    text = letter("QUYẾT ĐỊNH\nVề việc sửa đối Quy chế", "Điều 1. Sửa đổi Quy chế.\nĐiều 2. Thi hành./.")
    assert parse_text(text, grammar=g).header.subject == "Về việc sửa đối Quy chế"


def test_subject_does_not_take_a_lone_number_after_a_full_line():
    # a page number or a lone label under a long subject line is not its last word
    text = letter(
        "QUYẾT ĐỊNH\nVề việc hỗ trợ kinh phí mua trang thiết bị y tế cho các trạm y tế xã trong huyện\n"
        "2\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN",
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Hỗ trợ kinh phí.\nĐiều 2. Hiệu lực.\nĐiều 3. Thi hành./.")
    assert parse_text(text).header.subject == (
        "Về việc hỗ trợ kinh phí mua trang thiết bị y tế cho các trạm y tế xã trong huyện")


def test_slogan_cue_in_the_sentence_above_does_not_count():
    body = ("1. Tổ chức tốt Chương trình.\n"
            '"Nói đi đôi với làm" là phương châm của cán bộ, đảng viên.')
    assert slogans(body) == ["Nói đi đôi với làm"]


@pytest.mark.parametrize("printed,name", [
    ("yến Văn Toàn", "Nguyễn Văn Toàn"),      # the start of 'Nguyễn' cut off, marks misread
    ("XI. .Ngu Thị Hoa", "Nguyễn Thị Hoa"),    # its end cut off, debris before
])
def test_signer_whose_family_name_was_cut(printed, name):
    tail = ("\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
            f"{printed}\n\nPHỤ LỤC\nDanh sách kèm theo\n")
    rec = parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", BODY, tail))
    assert rec.signature.signer == name
    assert any(w.field == "signature.signer" for w in rec.warnings)


def test_signer_from_one_legible_letter_is_not_read():
    # '[ ,ê Minh Đức': only Lê ends in 'ê', but one letter is too little evidence
    tail = ("\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
            "[ ,ê Minh Đức\n")
    rec = parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", BODY, tail))
    assert rec.signature.signer is None
    assert any(w.field.startswith("signature") for w in rec.warnings)


def test_signer_fragment_of_several_family_names_is_not_read():
    # 'n' ends Nguyễn, Trần, Phan ...: no name
    tail = ("\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n"
            "n Văn Toàn\n")
    assert parse_text(letter("QUYẾT ĐỊNH\nVề việc ban hành Quy chế", BODY, tail)).signature.signer is None
