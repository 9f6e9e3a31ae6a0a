"""Body fields: recipients, items, slogans, references, signature, copies-to.

Table-driven: each case is a small letter (the forms taken from the seed letters and the
dev corpus, named after the letter that found a problem) and what the record must hold.
"""

from __future__ import annotations

import pytest

from vn_officialdoc import parse_text
from vn_officialdoc.labels import Zone
from vn_officialdoc.pipeline import annotate_text

BODY = "Thực hiện chỉ đạo của cấp trên, đề nghị các đơn vị thực hiện tốt một số nội dung sau:\n\n"


def top(record) -> list[str]:
    return [i.label for i in record.items]


# ---------------------------------------------------------------- items ----------------
ITEM_CASES = [
    ("roman_with_wrapped_children",
     "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nCấp ủy đảng thực hiện có hiệu quả công tác\n"
     "phòng, chống dịch.\n\n2. Yêu cầu\n\n- Công tác triển khai khẩn trương.\n\n"
     "II. NỘI DUNG\n\n1. Tổ chức quán triệt.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Cán bộ\n",
     ["I", "II", "III"], {"I": ["1", "2"], "II": ["1"]}),
    ("arabic_dash_labels_S000",
     BODY + "1- Tiếp tục tổ chức quán triệt.\n\n2- Mặt trận Tổ quốc phát huy vai trò.\n\n"
     "3- Hệ thống dân vận huy động.\n\n- Báo cáo nhanh tình hình.\n",
     ["1", "2", "3"], {"3": ["-"]}),
    ("articles_hold_numbered_points_D001",
     "QUYẾT ĐỊNH:\n\nĐiều 1. Tặng Danh hiệu Chiến sĩ thi đua cấp tỉnh đối với các\n"
     "ông, bà lãnh đạo. Danh sách như sau:\n\n1. Ông Lê Hồng Văn;\n2. Bà Đặng Thị Bích Liên.\n\n"
     "Điều 2. Mức tiền thưởng: 2.190.000 đồng.\n\nĐiều 3. Chánh Văn phòng thi hành./.\n",
     ["Điều 1", "Điều 2", "Điều 3"], {"Điều 1": ["1", "2"]}),
    ("only_dashes_gives_no_top_items",
     BODY + "- Báo cáo nhanh tình hình.\n\n- Báo cáo kết quả công tác.\n", [], {}),
    ("quoted_article_stays_inside_D026",
     "QUYẾT ĐỊNH:\n\nĐiều 1. Sửa đổi Quy chế như sau:\n\n1. Sửa đổi Điều 24 như sau:\n\n"
     "Điều 24. Điều kiện tuyển sinh\n\nĐiều 2. Quyết định này có hiệu lực.\n\n"
     "Điều 3. Các đơn vị thi hành./.\n",
     ["Điều 1", "Điều 2", "Điều 3"], {}),
    ("roman_read_as_digit_D037",
     "1- CHỨC NĂNG\n\nĐiều 1. Đảng bộ là hạt nhân chính trị.\n\nII- NHIỆM VỤ\n\n"
     "Điều 2. Lãnh đạo thực hiện nhiệm vụ.\n\nIV- ĐIỀU KHOẢN THI HÀNH\n\nĐiều 3. Hiệu lực.\n",
     ["I", "II", "IV"], {"I": ["Điều 1"]}),
    ("sections_inside_articles_D030",
     "QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt Chương trình với các nội dung sau:\n\n"
     "I. MỤC TIÊU\n\n1. Mục tiêu chung\n\nII. NHIỆM VỤ\n\nĐiều 2. Quyết định có hiệu lực.\n\n"
     "Điều 3. Các Bộ trưởng thi hành./.\n",
     ["Điều 1", "Điều 2", "Điều 3"], {"Điều 1": ["I", "II"]}),
]


@pytest.mark.parametrize("name,text,expected,children", ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_items(name, text, expected, children):
    record = parse_text(text)
    assert top(record) == expected
    by_label = {i.label: i for i in record.items}
    for label, kids in children.items():
        assert [c.label for c in by_label[label].children] == kids


def test_item_text_rejoins_wrapped_lines():
    record = parse_text("QUYẾT ĐỊNH:\n\nĐiều 1. Tặng Danh hiệu Chiến sĩ thi đua cấp tỉnh đối với các\n"
                        "ông, bà lãnh đạo Ủy ban nhân dân tỉnh.\n\nĐiều 2. Hiệu lực.\n")
    assert record.items[0].text == ("Tặng Danh hiệu Chiến sĩ thi đua cấp tỉnh đối với các "
                                    "ông, bà lãnh đạo Ủy ban nhân dân tỉnh.")
    assert record.items[0].line == 3


# ---------------------------------------------------------------- slogans --------------
SLOGAN_CASES = [
    ("phuong_cham", 'theo phương châm "đi từng ngõ, gõ từng nhà, rà từng người"; chủ động',
     ["đi từng ngõ, gõ từng nhà, rà từng người"]),
    ("motto_form_S000", 'để "Dân biết - Dân hiểu - Dân tin - Dân theo - Dân làm". Hướng dẫn',
     ["Dân biết - Dân hiểu - Dân tin - Dân theo - Dân làm"]),
    ("quoted_title_S003", 'Công văn số 3275-CV/BDVTW của Ban Dân vận Trung ương '
     '"V/v lãnh đạo, chỉ đạo thực hiện các biện pháp phòng, chống dịch", đề nghị', []),
    ("programme_name_D008", '2.3. Chương trình "Giao lưu nghệ thuật" được tổ chức', []),
    ("proper_name_D023", 'phái Tin lành "Hội thánh Đức Chúa Trời" với nhiều thủ đoạn', []),
    ("single_word_term_D006", 'Bãi bỏ cụm từ "đầu hỏa" tại khoản 2', []),
    ("category_list_D050", 'xếp loại dự thảo vào một trong ba loại: "Đạt", '
     '"Đạt nhưng cần sửa chữa", "Chưa đạt".', []),
    ("catch_phrase_list_D037", 'đấu tranh chống "diễn biến hòa bình", "tự diễn biến", '
     '"tự chuyển hóa" trong nội bộ', ["diễn biến hòa bình", "tự diễn biến", "tự chuyển hóa"]),
    ("numbered_catch_phrases", 'thực hiện nghiêm "5K" và phương châm "4 đúng" trong phun thuốc; '
     'năm "2021" và lớp "12/QĐ"', ["5K", "4 đúng"]),
    ("numbered_list_of_counts", 'tổ chức trực "3 ca, 4 kíp" tại các chốt', ["3 ca, 4 kíp"]),
    ("capitalised_slogan_after_its_cue",
     'với khẩu hiệu "Vải thiều Lục Ngạn - Tinh hoa đất Việt" trên các phương tiện',
     ["Vải thiều Lục Ngạn - Tinh hoa đất Việt"]),
    ("brand_slogan", 'quảng bá thương hiệu "Hà Giang - Cực Bắc thiêng liêng" đến du khách',
     ["Hà Giang - Cực Bắc thiêng liêng"]),
    ("fund_name_is_no_slogan", 'vận động ủng hộ Quỹ "Vì người nghèo" năm 2025', []),
    ("wrapped_quote_D023", 'tham gia hội thảo với chủ đề "Cha mẹ thương yêu anh\nem", phải',
     ["Cha mẹ thương yêu anh em"]),
]


@pytest.mark.parametrize("name,text,expected", SLOGAN_CASES, ids=[c[0] for c in SLOGAN_CASES])
def test_slogans(name, text, expected):
    record = parse_text(BODY + text + "\n")
    assert [s.text for s in record.slogans] == expected


def test_bold_deadline_is_no_slogan_S003():
    record = parse_text(BODY + "báo cáo lên cấp trên **trước ngày 22 hàng tháng.**\n")
    assert record.slogans == []


# ---------------------------------------------------------------- references -----------
REF_CASES = [
    ("party_form", "Thực hiện Văn bản số 635-CV/TU ngày 24/8/2021 của Ban Thường vụ",
     [("635", "CV/TU", "Văn bản", "2021-08-24")]),
    ("state_form_comma_date_S003", "theo Chỉ thị số 11/CT-UBND, ngày 30/7/2020 và Công điện số "
     "07/CĐ-UBND, ngày 02/8/2020", [("11", "CT-UBND", "Chỉ thị", "2020-07-30"),
                                    ("07", "CĐ-UBND", "Công điện", "2020-08-02")]),
    ("spaced_separator_S004", "Thông báo Kết luận số 172 -TB/TW của Bộ Chính trị",
     [("172", "TB/TW", "Thông báo Kết luận", None)]),
    ("year_form_and_long_date", "Căn cứ Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010",
     [("42", "2010/NĐ-CP", "Nghị định", "2010-04-15")]),
    ("ocr_qd_D037", "Căn cứ Quy định số 332-QD/TW, ngày 24/6/2025", [("332", "QĐ/TW", "Quy định", "2025-06-24")]),
    ("ocr_tty_D004", "tại Tờ trình sô 252/TTy-BNV ngày 17 tháng 4", [("252", "TTr-BNV", "Tờ trình", None)]),
    ("slash_lost_after_year_D022", "Căn cứ Nghị định 03/2014ND-CP ngày 27/01/2014",
     [("03", "2014/NĐ-CP", "Nghị định", "2014-01-27")]),
    ("symbol_broken_over_lines_D005", "tại Tờ trình số 4017/TTr-\nBNNMT ngày 23 tháng 4 năm 2026",
     [("4017", "TTr-BNNMT", "Tờ trình", "2026-04-23")]),
    ("same_document_once_D005", "Tờ trình số 4017/TTr-BNNMT và Tờ trình 4017/TT-\nBNNMT nêu trên",
     [("4017", "TTr-BNNMT", "Tờ trình", None)]),
    ("issuer_code_not_fixed_D033", "Văn bản số 8218/BTC-NSNN ngày 1/7/2025",
     [("8218", "BTC-NSNN", "Văn bản", "2025-07-01")]),
    ("words_in_capitals_are_no_symbol", "giai đoạn 2021-2025 QUYẾT ĐỊNH và Phụ lục 4-CTĐT", []),
]


@pytest.mark.parametrize("name,text,expected", REF_CASES, ids=[c[0] for c in REF_CASES])
def test_references(name, text, expected):
    record = parse_text(BODY + text + "\n")
    got = [(r.number, r.symbol, r.doc_type, r.date) for r in record.references]
    assert got == expected


def test_reference_ocr_fix_is_recorded():
    letter = annotate_text(BODY + "Căn cứ Quy định số 332-QD/TW, ngày 24/6/2025\n")
    assert any(c["before"] == "QD" and c["after"] == "QĐ" for c in letter.corrections)


def test_own_number_is_no_reference():
    record = parse_text("Số: 554/UBND-KT\n\n" + BODY + "theo Công văn số 12/SYT-NV\n")
    assert [r.number for r in record.references] == ["12"]


def test_email():
    record = parse_text(BODY + "qua email: bandanvantinhuy@quangtri.gov.vn để tổng hợp.\n")
    assert record.emails == ["bandanvantinhuy@quangtri.gov.vn"]


# ---------------------------------------------------------------- signature ------------
TAIL = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
SIG_CASES = [
    ("kt_S000", "**K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN**\n\n\nVương Thúy Hằng", "KT", "PHÓ TRƯỞNG BAN", "Vương Thúy Hằng"),
    ("tm_S001", "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nHoàng Văn Hiến", "TM", "PHÓ BÍ THƯ", "Hoàng Văn Hiến"),
    ("tm_then_kt_D009", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrương Việt Dũng",
     "KT", "PHÓ CHỦ TỊCH", "Trương Việt Dũng"),
    ("tl_then_kt_D007", "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\nVõ Tuấn Anh",
     "KT", "PHÓ CHÁNH VĂN PHÒNG", "Võ Tuấn Anh"),
    ("tuq", "TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn An", "TUQ", "CHÁNH VĂN PHÒNG", "Nguyễn Văn An"),
    ("tl", "TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ\n\nTrần Thị Bình", "TL", "VỤ TRƯỞNG VỤ PHÁP CHẾ", "Trần Thị Bình"),
    ("q", "Q. GIÁM ĐỐC\n\nPhạm Văn Cường", "Q", "GIÁM ĐỐC", "Phạm Văn Cường"),
    ("head_signs_D036", "CHỦ TỊCH\n\nTrương Cảnh Tuyên", None, "CHỦ TỊCH", "Trương Cảnh Tuyên"),
    ("seal_text_skipped_S003", "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nBAN\nDÂN VẬN\nTỈNH ỦY QUẢNG TRỊ\nVõ Trường Sơn",
     "KT", "PHÓ TRƯỞNG BAN", "Võ Trường Sơn"),
    ("signed_line_skipped_D010", "GIÁM ĐỐC\n(Đã ký và đóng dấu)\n\nLê Thị Bích Thuận", None, "GIÁM ĐỐC",
     "Lê Thị Bích Thuận"),
    ("rank_before_name_D023", "PHÓ TRƯỞNG PHÒNG PHỤ TRÁCH\n\nTrung tá Ngô Văn Công", None,
     "PHÓ TRƯỞNG PHÒNG PHỤ TRÁCH", "Ngô Văn Công"),
    # family names of the ethnic minorities and less frequent Kinh names (made-up people)
    ("hmong_family_name", "CHỦ TỊCH\n\nVàng A Chứ", None, "CHỦ TỊCH", "Vàng A Chứ"),
    ("stieng_family_name", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nĐiểu Văn Lợi", "KT", "PHÓ GIÁM ĐỐC",
     "Điểu Văn Lợi"),
    ("ede_name", "TM. BAN THƯỜNG VỤ\nBÍ THƯ\n\nY Thanh Niê", "TM", "BÍ THƯ", "Y Thanh Niê"),
    ("tay_family_name_ma_is_not_a_cut_mai", "CHỦ TỊCH\n\nMa Thị Thúy", None, "CHỦ TỊCH",
     "Ma Thị Thúy"),
    ("commander_with_rank", "CHỈ HUY TRƯỞNG\n\nĐại tá Trần Hữu Lực", None, "CHỈ HUY TRƯỞNG",
     "Trần Hữu Lực"),
    ("mark_and_title_on_one_line", "KT. BỘ TRƯỞNG THỨ TRƯỞNG\n\nĐỗ Minh Khôi", "KT",
     "THỨ TRƯỞNG", "Đỗ Minh Khôi"),
    ("tl_mark_and_long_title_on_one_line", "TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ PHÁP CHẾ\n\nTrần Thị Bình",
     "TL", "VỤ TRƯỞNG VỤ PHÁP CHẾ", "Trần Thị Bình"),
    ("two_marks_on_one_line", "TM. CHÍNH PHỦ KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nBùi Thanh Sơn",
     "KT", "PHÓ THỦ TƯỚNG", "Bùi Thanh Sơn"),
    ("mark_title_alone_is_no_signer_title", "KT. GIÁM ĐỐC\n\nLê Văn Tám", "KT", None,
     "Lê Văn Tám"),
    ("name_in_capitals", "VIỆN TRƯỞNG\n\nHOÀNG ĐÌNH PHƯƠNG", None, "VIỆN TRƯỞNG",
     "HOÀNG ĐÌNH PHƯƠNG"),
    ("seal_place_in_capitals_is_no_name", "GIÁM ĐỐC\nSỞ Y TẾ\nHÀ GIANG\nNguyễn Văn An", None,
     "GIÁM ĐỐC", "Nguyễn Văn An"),
    ("doubled_letters_in_the_name", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Thị Thùy Linhh", "KT",
     "PHÓ CHỦ TỊCH", "Lê Thị Thùy Linh"),
    ("doubled_vowel_in_the_name", "CHỦ TỊCH\n\nKim Văn Thuuận", None, "CHỦ TỊCH",
     "Kim Văn Thuận"),
    ("seal_note_in_brackets", "T/M CHI BỘ\nBÍ THƯ\n(Dấu của Đảng ủy xã Hưng Đạo)\n\n"
     "Nguyễn Đức Hạnh", "TM", "BÍ THƯ", "Nguyễn Đức Hạnh"),
    ("doubled_letter_in_the_family_name", "CHỦ NHIỆM\n\nNguyễễn Thị Hoài Thu", None,
     "CHỦ NHIỆM", "Nguyễn Thị Hoài Thu"),
    ("deputy_in_charge_wrapped", "PHÓ GIÁM ĐỐC\nPHỤ TRÁCH\n\nTrần Văn Đức", None,
     "PHÓ GIÁM ĐỐC PHỤ TRÁCH", "Trần Văn Đức"),
    ("judge", "THẨM PHÁN\n\nVõ Thị Mai", None, "THẨM PHÁN", "Võ Thị Mai"),
    ("ede_womans_name", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nH' Rê Niê", "KT", "PHÓ CHỦ TỊCH",
     "H' Rê Niê"),
    ("bahnar_name", "TRƯỞNG BAN\n\nA Thuân", None, "TRƯỞNG BAN", "A Thuân"),
    ("mark_without_name", "T/M BAN THƯỜNG VỤ\n", "TM", None, None),

    ("no_name_guessed", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLưu hành nội bộ", "KT", "PHÓ CHỦ TỊCH", None),
]


@pytest.mark.parametrize("name,block,authority,title,signer", SIG_CASES, ids=[c[0] for c in SIG_CASES])
def test_signature(name, block, authority, title, signer):
    record = parse_text(BODY + "1. Thực hiện tốt.\n" + TAIL + block + "\n")
    assert (record.signature.authority, record.signature.title, record.signature.signer) == (
        authority, title, signer)


def test_name_after_the_filing_line_of_a_flattened_two_column_tail():
    """OCR read the two tail columns row by row: the signer's name ends the filing line,
    after its full stop. A full stop elsewhere ('TP. Hồ Chí Minh') is no such place."""
    tail = ("\nNơi nhận: TL. BỘ TRƯỞNG\n- Như trên; CỤC TRƯỞNG CỤC TRỒNG TRỌT\n"
            "- UBND TP. Hồ Chí Minh;\n- Lưu: VT, TT. Nguyễn Như Cường\n")
    record = parse_text(BODY + "1. Thực hiện tốt.\n" + tail)
    sig = record.signature
    assert (sig.authority, sig.title, sig.signer) == ("TL", "CỤC TRƯỞNG CỤC TRỒNG TRỌT",
                                                      "Nguyễn Như Cường")
    assert [c.text for c in record.copies_to] == ["Như trên", "UBND TP. Hồ Chí Minh", "Lưu: VT, TT"]


def test_signature_column_read_before_the_copies_list():
    """OCR read the right column first: the title, then 'Nơi nhận' and its list, then the
    name."""
    tail = ("\nTỔNG GIÁM ĐỐC\nNơi nhận:\n- Như trên;\n- Sở Xây dựng (để b/c);\n- Lưu: VT, KT.\n"
            "Nguyễn Văn An\n")
    record = parse_text(BODY + "1. Thực hiện tốt.\n" + tail)
    sig = record.signature
    assert (sig.authority, sig.title, sig.signer) == (None, "TỔNG GIÁM ĐỐC", "Nguyễn Văn An")
    assert [c.text for c in record.copies_to] == ["Như trên", "Sở Xây dựng", "Lưu: VT, KT"]
    assert [i.label for i in record.items] == ["1"]


def test_head_signing_before_the_copies_list():
    tail = "\nGIÁM ĐỐC\nKim Ngọc Thái\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    record = parse_text(BODY + "1. Thực hiện tốt./.\n" + tail)
    assert (record.signature.title, record.signature.signer) == ("GIÁM ĐỐC", "Kim Ngọc Thái")
    assert [c.text for c in record.copies_to] == ["Như trên", "Lưu: VT"]


def test_debris_between_title_and_name_is_not_a_copies_entry():
    """The mark opens the tail above 'Nơi nhận' (the signature column read first); OCR
    debris of the seal between the title and the name is no copies-to entry."""
    tail = ("\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n,ÊÂy\nLê Thị Mỹ Hạnh\nNơi nhận:\n"
            "- Ban Tuyên giáo Tỉnh ủy (b/c),\n- Lưu Văn phòng Đảng ủy.\n")
    record = parse_text(BODY + "1. Thực hiện tốt./.\n" + tail)
    assert [c.text for c in record.copies_to] == ["Ban Tuyên giáo Tỉnh ủy", "Lưu Văn phòng Đảng ủy"]
    assert (record.signature.title, record.signature.signer) == ("PHÓ BÍ THƯ", "Lê Thị Mỹ Hạnh")


def test_seal_lines_are_seal_zone_S003():
    letter = annotate_text(BODY + TAIL + "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nBAN\nDÂN VẬN\nVõ Trường Sơn\n")
    zones = {ln.text: ln.zone for ln in letter.lines}
    assert zones["DÂN VẬN"] is Zone.SEAL and zones["Võ Trường Sơn"] is Zone.SIGNATURE


def test_two_column_tail_D005():
    text = (BODY + "Điều 1. Hiệu lực./.\n\nNơi nhận: _ TM. CHÍNH PHỦ\n"
            "- Ban Bí thư Trung ương Đảng; KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\n"
            "- Thủ tướng, các Phó Thủ tướng Chính phủ;\n- Kiểm toán nhà nước; À2 Z2 „\n"
            "- Ủy ban trung ương Mặt trận Tổ quốc Việt Nam; Hồ Quốc Dũng\n- Lưu: VT,NN @).\n")
    record = parse_text(text)
    assert (record.signature.authority, record.signature.title, record.signature.signer) == (
        "KT", "PHÓ THỦ TƯỚNG", "Hồ Quốc Dũng")
    assert [c.text for c in record.copies_to] == [
        "Ban Bí thư Trung ương Đảng", "Thủ tướng, các Phó Thủ tướng Chính phủ",
        "Kiểm toán nhà nước", "Ủy ban trung ương Mặt trận Tổ quốc Việt Nam", "Lưu: VT,NN"]


def test_title_ocr_fixed_and_recorded_D017():
    letter = annotate_text(BODY + "Điều 1. Hiệu lực./.\n\nNơi nhận: KT. BỘ TRƯỞNG\n"
                           "- Như Điều 3; THỨZRƯỞNG THƯỜNG TRỰC\n- Lưu: VT, Cục QLCL.\n")
    record = letter.fields["_record"]
    assert record.signature.title == "THỨ TRƯỞNG THƯỜNG TRỰC"
    assert any(c["rule"] == "signature.title.heads" for c in letter.corrections)
    assert [c.text for c in record.copies_to] == ["Như Điều 3", "Lưu: VT, Cục QLCL"]


def test_title_wrapped_over_two_lines_D034():
    record = parse_text(BODY + "thông qua ngày 16 tháng 6 năm 2025.\nCHỦ TỊCH\n"
                        "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nLương Cường\n")
    assert record.signature.title == "CHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert record.signature.signer == "Lương Cường"


# ---------------------------------------------------------------- copies-to ------------
COPY_CASES = [
    ("notes_S000", "- Như trên,\n- Ban Dân vận TW Đảng (B/c),\n- Bộ trưởng (đê báo cáo);\n"
     "- Như Điều 4 (để thực hiện);\n- Lưu VT.",
     [("Như trên", None), ("Ban Dân vận TW Đảng", "B/c"), ("Bộ trưởng", "đê báo cáo"),
      ("Như Điều 4", "để thực hiện"), ("Lưu VT", None)]),
    ("wrapped_entry_D003", "- Như trên;\n-- VPCP: BTCN, PCN Phạm Mạnh Cường,\nTrợ lý TTg, TGÐ Cổng TTĐT,\n"
     "các Vụ: TH, PL, KTTH, NN;\n- Lưu: VT, CN.",
     [("Như trên", None), ("VPCP: BTCN, PCN Phạm Mạnh Cường, Trợ lý TTg, TGĐ Cổng TTĐT, "
                           "các Vụ: TH, PL, KTTH, NN", None), ("Lưu: VT, CN", None)]),
    ("note_on_its_own_line_D009", "- Đ/c Bí thư Thành ủy;\n- Thường trực Thành ủy;\n(để b/c)\n- Lưu: VT, ĐTDG",
     [("Đ/c Bí thư Thành ủy", None), ("Thường trực Thành ủy", "để b/c"), ("Lưu: VT, ĐTDG", None)]),
    ("no_dashes_D010", "Như trên;\nBộ Giáo dục và Đào tạo;\nCác Sở: Y tế, TT&TT;\nLưu: VT, CTrTT.",
     [("Như trên", None), ("Bộ Giáo dục và Đào tạo", None), ("Các Sở: Y tế, TT&TT", None),
      ("Lưu: VT, CTrTT", None)]),
    ("open_parenthesis_continues_D028", "Hiệu trưởng (để b/c);\n: Các Khoa, phòng chức năng (đê p/h\n"
     "th);\nLưu: VT, ĐT&CTSV, QH04.",
     [("Hiệu trưởng", "để b/c"), ("Các Khoa, phòng chức năng", "đê p/h th"),
      ("Lưu: VT, ĐT&CTSV, QH04", None)]),
    ("debris_after_luu_D001", "- Như điều 3; / Ý/ k;\n- Lưu: VT, N.chính (16B).Z_ Ñ -",
     [("Như điều 3", None), ("Lưu: VT, N.chính (16B)", None)]),
    ("standard_addressee_misread_D029", "- Viện kiểm sát nhân đân tối cao;\n- Thủ tướng và các Phó Thủ "
     "tướng Chính phủ;\n- Lưu: VT, Vụ PC, Cục KTKĐCLGD.",
     [("Viện kiểm sát nhân dân tối cao", None), ("Thủ tướng và các Phó Thủ tướng Chính phủ", None),
      ("Lưu: VT, Vụ PC, Cục KTKĐCLGD", None)]),
    ("ocr_abbreviation_S003", "- BCD phòng, chống dịch tỉnh,\n- Công TTĐT Bộ GDĐT;\n- Lưu VTBDVTU.",
     [("BCĐ phòng, chống dịch tỉnh", None), ("Cổng TTĐT Bộ GDĐT", None), ("Lưu VTBDVTU", None)]),
]


@pytest.mark.parametrize("name,block,expected", COPY_CASES, ids=[c[0] for c in COPY_CASES])
def test_copies_to(name, block, expected):
    record = parse_text(BODY + "1. Thực hiện tốt.\n\nNơi nhận:\n" + block + "\n\nKT. GIÁM ĐỐC\n"
                        "PHÓ GIÁM ĐỐC\n\nNguyễn Văn An\n")
    assert [(c.text, c.note) for c in record.copies_to] == expected


def test_copies_printed_above_heading_D021():
    record = parse_text(BODY + "Điều 3. Thi hành./.\n\n- Như Điều 3;\n\n- Bộ trưởng (đê báo cáo);\n"
                        "- Lưu: VT, VP (KSTTHC).\n\nNơi nhận: ~-__ KT. BỘ TRƯỞNG\n")
    assert [c.text for c in record.copies_to] == ["Như Điều 3", "Bộ trưởng", "Lưu: VT, VP (KSTTHC)"]
    assert top(record) == ["Điều 3"]


# ---------------------------------------------------------------- recipients -----------
RECIPIENT_CASES = [
    ("dashes_and_wrapped_S000",
     "Kính gửi: - Ủy ban Mặt trận Tổ quốc tỉnh,\n- Ban Dân vận các huyện ủy; Bộ phận tham mưu công\n"
     "tác dân vận,\n- Các Hội quần chúng cấp tỉnh.\n\n",
     ["Ủy ban Mặt trận Tổ quốc tỉnh", "Ban Dân vận các huyện ủy; Bộ phận tham mưu công tác dân vận",
      "Các Hội quần chúng cấp tỉnh"]),
    ("leading_dash_S001", "- Kính gửi: - Ủy ban nhân dân huyện,\n- Các chi, đảng bộ cơ sở.\n\n",
     ["Ủy ban nhân dân huyện", "Các chi, đảng bộ cơ sở"]),
    ("several_on_the_heading_line",
     "Kính gửi: Sở Y tế các tỉnh, thành phố; Y tế các Bộ, ngành.\n\nThực hiện chỉ đạo.\n",
     ["Sở Y tế các tỉnh, thành phố", "Y tế các Bộ, ngành"]),
    ("several_on_the_heading_line_then_one_a_line",
     "Kính gửi: Bộ Tài chính; Bộ Nội vụ;\nỦy ban nhân dân các tỉnh.\n\nThực hiện chỉ đạo.\n",
     ["Bộ Tài chính", "Bộ Nội vụ", "Ủy ban nhân dân các tỉnh"]),
    ("numbered_on_the_heading_line",
     "Kính gửi: 1. Ông Trương Văn Lộc, xã Đức Hòa Hạ;\n2. Bà Huỳnh Thị Kim Loan;\n"
     "3. Viện kiểm sát nhân dân huyện Đức Hòa.\n\nNgày 04 tháng 9 năm 2024, Tòa án thụ lý.\n",
     ["Ông Trương Văn Lộc, xã Đức Hòa Hạ", "Bà Huỳnh Thị Kim Loan",
      "Viện kiểm sát nhân dân huyện Đức Hòa"]),
    ("numbered_under_a_bare_heading",
     "Kính gửi:\n1. Ủy ban nhân dân thành phố Phủ Lý;\n2. Ủy ban nhân dân thị xã Duy Tiên.\n\n"
     "Công ty thông báo như sau.\n",
     ["Ủy ban nhân dân thành phố Phủ Lý", "Ủy ban nhân dân thị xã Duy Tiên"]),
    ("numbered_item_after_an_unfinished_list_is_the_body",
     "Kính gửi: - Ban Dân vận các huyện ủy\n- Mặt trận Tổ quốc tỉnh\n"
     "1. Phối hợp với chính quyền tuyên truyền.\n",
     ["Ban Dân vận các huyện ủy", "Mặt trận Tổ quốc tỉnh"]),
    ("one_addressee_without_a_stop_then_the_preamble",
     "Kính gửi: Các huyện ủy, thành ủy trực thuộc Tỉnh ủy\nThực hiện Hướng dẫn số 12-HD/TU, "
     "Ban Tổ chức đề nghị:\n1. Rà soát.\n", ["Các huyện ủy, thành ủy trực thuộc Tỉnh ủy"]),
    ("bare_heading_no_dashes_D010",
     "Kính gửi:\nPhòng giáo dục và đào tạo các quận, huyện;\nCác trường đại học ngoài công lập.\n"
     "Thực hiện chỉ đạo của UBND thành phố.\n",
     ["Phòng giáo dục và đào tạo các quận, huyện", "Các trường đại học ngoài công lập"]),
    ("wrapped_after_comma_D003", "Kính gửi:\n\n- Các Bộ: Công an, Tư pháp, Xây dựng,\n"
     "Nông nghiệp và Môi trường;\n\n- Ủy ban nhân dân tỉnh Đồng Nai.\n\nXét đề nghị của tỉnh.\n",
     ["Các Bộ: Công an, Tư pháp, Xây dựng, Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh Đồng Nai"]),
    ("single_inline", "Kính gửi: Sở Y tế tỉnh Quảng Trị\n\nThực hiện chỉ đạo.\n", ["Sở Y tế tỉnh Quảng Trị"]),
]


@pytest.mark.parametrize("name,block,expected", RECIPIENT_CASES, ids=[c[0] for c in RECIPIENT_CASES])
def test_recipients(name, block, expected):
    assert parse_text(block + BODY + "1. Thực hiện tốt.\n").recipients == expected


def test_appendix_is_not_the_letter_D043():
    text = ("QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy định.\n\n"
            "Điều 2. Hiệu lực./.\n\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n\nKT. HIỆU TRƯỞNG\n"
            "PHÓ HIỆU TRƯỞNG\n\nNguyễn Hoàng Oanh\n\nPHỤ LỤC\nĐƠN ĐỀ NGHỊ\n"
            "Kính gửi: Ban Giám hiệu nhà trường\n\nĐiều 1. Phạm vi điều chỉnh của quy định kèm theo\n")
    record = parse_text(text)
    assert top(record) == ["Điều 1", "Điều 2"]
    assert record.recipients == []
    assert record.signature.signer == "Nguyễn Hoàng Oanh"
