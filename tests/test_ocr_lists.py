"""Issue 3, OCR forms of the list fields: recipients (Kính gửi), top items, copies-to.

Each case is a short made-up letter in the FORM that OCR gives a real letter (a blank
line inside a wrapped addressee, 'VT' read 'VI', 'III' read 'II' ...); the expected
values are read off the made-up text by hand, not copied from the program's output.
"""

from __future__ import annotations

import pytest

from vn_officialdoc import parse_text
from vn_officialdoc.pipeline import annotate_text

OPENING = "Thực hiện chỉ đạo của cấp trên, đề nghị các đơn vị thực hiện tốt nội dung sau:\n\n"
TAIL = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nGIÁM ĐỐC\n\nTrần Văn Bình\n"


def top(record) -> list[str]:
    return [i.label for i in record.items]


def rules(letter) -> list[str]:
    return [c["rule"] for c in letter.corrections]


# ------------------------------------------------------------ recipients ----------------
RECIPIENT_CASES = [
    ("blank_line_inside_wrapped_dashed_addressee",
     "Kính gửi: - Sở Nội vụ tỉnh,\n- Ban Tổ chức các huyện ủy; Bộ phận tham mưu công\n\n"
     "tác tổ chức các Đảng ủy trực thuộc,\n\n- Các Hội đặc thù cấp tỉnh.\n\n" + OPENING
     + "1. Báo cáo kết quả.\n",
     ["Sở Nội vụ tỉnh",
      "Ban Tổ chức các huyện ủy; Bộ phận tham mưu công tác tổ chức các Đảng ủy trực thuộc",
      "Các Hội đặc thù cấp tỉnh"]),
    ("blank_lines_between_addressees_without_dashes",
     "Kính gửi:\n\nPhòng Tài chính các huyện;\n\nCác bệnh viện trực thuộc Sở;\n\n"
     "Các trung tâm y tế tư nhân.\n\n" + OPENING + "1. Báo cáo kết quả.\n",
     ["Phòng Tài chính các huyện", "Các bệnh viện trực thuộc Sở",
      "Các trung tâm y tế tư nhân"]),
    ("blank_line_then_body_ends_the_list",
     "Kính gửi: Ủy ban nhân dân các xã;\n\nThực hiện Kế hoạch của tỉnh, đề nghị các đơn vị\n"
     "báo cáo kết quả về Sở trước ngày 15.\n",
     ["Ủy ban nhân dân các xã"]),
    ("blank_line_then_one_line_opener_ends_a_list_without_dashes",
     "Kính gửi: Ủy ban nhân dân các xã;\n\nThực hiện Kế hoạch số 12 của tỉnh, Phòng đề nghị các xã báo cáo.\n",
     ["Ủy ban nhân dân các xã"]),
    ("blank_line_then_capital_paragraph_ends_a_dashed_list",
     "Kính gửi: - Sở Y tế;\n- Sở Tài chính\n\nThực hiện Kế hoạch của tỉnh, đề nghị các đơn vị\n"
     "báo cáo kết quả.\n",
     ["Sở Y tế", "Sở Tài chính"]),
]


RECIPIENT_CASES += [
    ("place_marks_from_the_gazetteer",
     "Kính gửi:\n- Sở Y tế thành phô Đà Năng;\n- Sở Tài chính tỉnh Hà Giang.\n\n" + OPENING
     + "1. Báo cáo kết quả.\n",
     ["Sở Y tế thành phố Đà Nẵng", "Sở Tài chính tỉnh Hà Giang"]),
    ("place_printed_right_or_unknown_is_kept",
     "Kính gửi:\n- Ủy ban nhân dân tỉnh Thanh Hoá;\n- Công ty Cổ phần Sông Đà.\n\n" + OPENING
     + "1. Báo cáo kết quả.\n",
     ["Ủy ban nhân dân tỉnh Thanh Hoá", "Công ty Cổ phần Sông Đà"]),
]


RECIPIENT_CASES += [
    ("word_marks_read_back_from_the_letter",
     "Kính gửi: Ủy ban MTTQ và các tố chức chính trị - xã hội huyện.\n\n"
     "Thực hiện chỉ đạo của cấp trên, đề nghị các tổ chức thực hiện nội dung sau:\n\n"
     "1. Báo cáo kết quả.\n",
     ["Ủy ban MTTQ và các tổ chức chính trị - xã hội huyện"]),
    ("word_reading_the_letter_never_writes_is_kept",
     "Kính gửi: Ủy ban MTTQ và các đoàn thế huyện.\n\n" + OPENING + "1. Báo cáo kết quả.\n",
     ["Ủy ban MTTQ và các đoàn thế huyện"]),
    ("names_are_left_alone",
     "Kính gửi: Thứ trưởng Nguyên Văn Phúc.\n\n" + OPENING
     + "1. Báo cáo Thứ trưởng Nguyễn Văn Phúc.\n",
     ["Thứ trưởng Nguyên Văn Phúc"]),
]


RECIPIENT_CASES += [
    ("dash_read_as_tilde",
     "Kính gửi: - Sở Nội vụ tỉnh,\n~ Ban Tổ chức các huyện ủy,\n~ Các Hội đặc thù cấp tỉnh.\n\n"
     + OPENING + "1. Báo cáo kết quả.\n",
     ["Sở Nội vụ tỉnh", "Ban Tổ chức các huyện ủy", "Các Hội đặc thù cấp tỉnh"]),
]


def test_place_correction_is_recorded():
    letter = annotate_text("Kính gửi: Sở Y tế thành phô Đà Năng.\n\n" + OPENING + "1. Báo cáo.\n"
                           + TAIL)
    fixes = [(c["before"], c["after"]) for c in letter.corrections
             if c["rule"] == "copies_to.place_after_unit"]
    assert fixes == [("Đà Năng", "Đà Nẵng"), ("thành phô", "thành phố")]


def test_correction_points_at_the_word_in_a_wrapped_entry():
    letter = annotate_text("Kính gửi: - Ủy ban MTTQ và các\ntố chức chính trị huyện.\n\n"
                           "Thực hiện chỉ đạo, đề nghị các tổ chức thực hiện nội dung sau:\n\n"
                           "1. Báo cáo.\n" + TAIL)
    fixes = [(c["before"], c["after"], c["line"], c["column"]) for c in letter.corrections
             if c["rule"] == "recipients.word_spelling"]
    assert fixes == [("tố", "tổ", 2, 0)]


@pytest.mark.parametrize("name,text,expected", RECIPIENT_CASES,
                         ids=[c[0] for c in RECIPIENT_CASES])
def test_recipients_ocr_forms(name, text, expected):
    assert parse_text(text).recipients == expected


# ------------------------------------------------------------ top items -----------------
ITEM_CASES = [
    ("roman_II_repeated_is_III",
     OPENING + "I. MỤC ĐÍCH\n\n1. Nâng cao nhận thức.\n\nII. NỘI DUNG\n\n1. Tổ chức hội nghị.\n\n"
     "II. TỔ CHỨC THỰC HIỆN\n\n1. Các phòng chuyên môn.\n",
     ["I", "II", "III"], ["items.ocr.roman_sequence"]),
    ("roman_II_repeated_before_IV",
     OPENING + "I. MỤC ĐÍCH\n\nII. NỘI DUNG\n\nII. KINH PHÍ\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
     "1. Các phòng.\n",
     ["I", "II", "III", "IV"], ["items.ocr.roman_sequence"]),
    ("roman_without_full_stop_before_capitals",
     OPENING + "I. MỤC ĐÍCH\n\n1. Nâng cao nhận thức.\n\nII NỘI DUNG CHÍNH\n\n"
     "1. Tổ chức hội nghị.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Các phòng.\n",
     ["I", "II", "III"], []),
    ("roman_lookalikes_L_and_HH",
     OPENING + "L. Phạm vi áp dụng: người học của Trường.\n\nII. Nguyên tắc chung\n\n"
     "1. Công khai, minh bạch.\n\nHH. Quy trình thực hiện\n\n1. Nộp hồ sơ.\n\n"
     "IV. Tổ chức thực hiện\n\nCác phòng thực hiện.\n",
     ["I", "II", "III", "IV"], ["items.ocr.roman_sequence", "items.ocr.roman_sequence"]),
    ("roman_I_repeated_after_digit_heading",
     "1- CHỨC NĂNG\n\nĐiều 1. Chi bộ là hạt nhân chính trị.\n\nI- NHIỆM VỤ\n\n"
     "Điều 2. Lãnh đạo thực hiện nhiệm vụ.\n\nIV- ĐIỀU KHOẢN THI HÀNH\n\nĐiều 3. Hiệu lực.\n",
     ["I", "II", "IV"], ["items.ocr.roman_digits", "items.ocr.roman_sequence"]),
    ("roman_II_read_with_a_dot_inside",
     "1- CHỨC NĂNG\n\nĐiều 1. Chi bộ là hạt nhân chính trị.\n\n1.I- Nhiệm vụ\n\n"
     "Điều 2. Lãnh đạo thực hiện nhiệm vụ.\n\nIII- MỐI QUAN HỆ\n\nĐiều 3. Phối hợp.\n",
     ["I", "II", "III"], ["items.ocr.roman_digits", "items.ocr.roman_sequence"]),
    ("a_second_roman_series_is_left_alone",
     OPENING + "I. MỤC ĐÍCH\n\nII. NỘI DUNG\n\nIII. TỔ CHỨC\n\nPhụ biểu kèm theo:\n\n"
     "I. Nhóm một\n\nII. Nhóm hai\n",
     ["I", "II", "III", "I", "II"], []),
    ("lookalike_without_roman_sections_is_not_an_item",
     OPENING + "L. Phạm vi áp dụng: người học.\n\n1. Công khai.\n\n2. Minh bạch.\n",
     ["1", "2"], []),
    ("arabic_item_between_4_and_6_is_5",
     OPENING + "1- Tuyên truyền.\n\n2- Kiểm tra.\n\n3- Giám sát.\n\n4- Tổng hợp.\n\n"
     "9- Báo cáo định kỳ.\n\n6- Khen thưởng.\n",
     ["1", "2", "3", "4", "5", "6"], ["items.ocr.arabic_sequence"]),
    ("arabic_comma_for_full_stop",
     OPENING + "1. Tuyên truyền.\n\n2. Kiểm tra.\n\n3, Ủy ban nhân dân huyện tổng hợp.\n\n"
     "4. Báo cáo.\n", ["1", "2", "3", "4"], []),
    ("comma_number_in_running_text_is_not_an_item",
     OPENING + "1. Tuyên truyền các nội dung tại khoản\n3, Điều 5 của Quy định.\n\n"
     "2. Kiểm tra.\n", ["1", "2"], []),
    ("roman_II_as_1L_before_II_for_III",
     OPENING + "I.MỤC ĐÍCH\n\n1. Nâng cao nhận thức.\n\n1L NỘI DUNG CHÍNH\n\n1. Tổ chức hội nghị.\n\n"
     "II. TỔ CHỨC THỰC HIỆN\n\n1. Các phòng.\n",
     ["I", "II", "III"], ["items.ocr.roman_sequence", "items.ocr.roman_sequence"]),
    ("roman_I_as_bracket",
     OPENING + "[. Phạm vi áp dụng: người học.\n\nII. Nguyên tắc chung\n\nIII. Tổ chức thực hiện\n",
     ["I", "II", "III"], ["items.ocr.roman_sequence"]),
    ("roman_lookalike_after_a_bullet_mark",
     # the pattern lets two non-letters stand before the label: the scan's bullet '*'
     OPENING + "I. Phạm vi áp dụng: người học.\n\n* L. Nguyên tắc chung\n\n"
     "III. Tổ chức thực hiện\n", ["I", "II", "III"], ["items.ocr.roman_sequence"]),
    ("article_one_read_as_l",
     "Điều l. Ban hành kèm theo Quyết định này Quy chế.\n\nĐiều 2. Hiệu lực.\n\n"
     "Điều 3. Thi hành.\n", ["Điều 1", "Điều 2", "Điều 3"], ["items.item.article"]),
    ("lookalike_before_a_whole_sequence_is_not_a_section",
     OPENING + "L. Phạm vi áp dụng: người học.\n\nI. MỤC ĐÍCH\n\nII. NỘI DUNG\n\nIII. TỔ CHỨC\n",
     ["I", "II", "III"], []),
    ("every_roman_label_misread",
     OPENING + "1 CHỨC NĂNG\n\nPhòng là cơ quan chuyên môn.\n\nH. NHIỆM VỤ VÀ QUYỀN HẠN\n\n"
     "1. Trình Ủy ban nhân dân.\n\n2. Tổ chức thực hiện.\n\nHI. TỔ CHỨC THỰC HIỆN\n\nCác phòng.\n",
     ["I", "II", "III"], ["items.ocr.roman_sequence"] * 3),
    ("numbered_capital_headings_are_not_sections",
     OPENING + "1. MỤC TIÊU\n\n2. NỘI DUNG\n\n3. TỔ CHỨC THỰC HIỆN\n",
     ["1", "2", "3"], []),
    ("arabic_commas_in_a_row",
     OPENING + "1. Thời gian nghỉ học.\n\n2, Phòng, chống dịch.\n\n3, Thi tốt nghiệp.\n\n"
     "4. Các trường.\n\n5, Công tác báo cáo.\n", ["1", "2", "3", "4", "5"], []),
    ("arabic_gap_in_the_text_is_kept",
     OPENING + "1. Tuyên truyền.\n\n2. Kiểm tra.\n\n4. Tổng hợp.\n\n5. Báo cáo.\n",
     ["1", "2", "4", "5"], []),
]


@pytest.mark.parametrize("name,text,expected,fixes", ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_items_ocr_forms(name, text, expected, fixes):
    letter = annotate_text(text + TAIL)
    record = letter.fields["_record"]
    assert top(record) == expected
    assert [r for r in rules(letter) if r.startswith("items.")] == fixes


# ------------------------------------------------------------ copies-to -----------------
def _copies(lines: str):
    letter = annotate_text(OPENING + "1. Báo cáo kết quả với Ban Dân vận và Ban Tổ chức./.\n\nNơi nhận:\n" + lines
                           + "\nGIÁM ĐỐC\n\nTrần Văn Bình\n")
    return [c.text for c in letter.fields["_record"].copies_to], rules(letter)


COPIES_CASES = [
    ("luu_VI_is_VT", "- Như trên;\n- Lưu: VI, TCCB.\n",
     ["Như trên", "Lưu: VT, TCCB"], ["copies_to.ocr.luu_vt"]),
    ("luu_VL_without_comma", "- Như trên;\n- Lưu: VL HCTH\n",
     ["Như trên", "Lưu: VT HCTH"], ["copies_to.ocr.luu_vt"]),
    ("luu_VTj_comma_read_as_letter", "- Như trên;\n- Lưu: VTj KHTC.\n",
     ["Như trên", "Lưu: VT, KHTC"], ["copies_to.ocr.luu_vt_comma"]),
    ("luu_VTF_comma_read_as_letter", "- Như trên;\n- Lưu: VTF, KHTC.\n",
     ["Như trên", "Lưu: VT, KHTC"], ["copies_to.ocr.luu_vt_comma"]),
    ("luu_VIy_both_misread", "- Như trên;\n- Lưu: VIý KHTC.\n",
     ["Như trên", "Lưu: VT, KHTC"], ["copies_to.ocr.luu_vt_comma", "copies_to.ocr.luu_vt"]),
    ("luu_L_read_as_b", "- Như trên;\n- bưu: HCTH, ĐT.\n",
     ["Như trên", "Lưu: HCTH, ĐT"], ["copies_to.ocr.luu_letter"]),
    ("dong_chi_slash_lost", "- Đc Bí thư Huyện ủy;\n- Lưu: VT.\n",
     ["Đ/c Bí thư Huyện ủy", "Lưu: VT"], ["copies_to.ocr.dong_chi"]),
    ("luu_VP_is_a_real_code", "- Như trên;\n- Lưu: VP, KHTC.\n",
     ["Như trên", "Lưu: VP, KHTC"], []),
    ("euro_ghost_before_C", "- Sở TT&€CNS;\n- Lưu: VT.\n",
     ["Sở TT&CNS", "Lưu: VT"], ["copies_to.ocr.euro_ghost"]),
    ("euro_read_for_C", "- Như trên;\n- Lưu: VT, KH&€ TSV.\n",
     ["Như trên", "Lưu: VT, KH&CTSV"], ["copies_to.ocr.euro_c"]),
    ("space_inside_ampersand_code", "- Như trên;\n- Lưu: VT, KH&C TSV, P2.\n",
     ["Như trên", "Lưu: VT, KH&CTSV, P2"], ["copies_to.ocr.code_split"]),
    ("nhu_dieu_misread", "- Như Điêu 4;\n- Sở Tài chính;\n- Lưu: VT.\n",
     ["Như Điều 4", "Sở Tài chính", "Lưu: VT"], ["copies_to.ocr.nhu_dieu"]),
    ("dash_read_as_short_token", "mg Như trên;\n- Lưu: VT.\n",
     ["Như trên", "Lưu: VT"], []),
    ("wrapped_entry_starting_with_a_syllable_is_kept",
     "- Sở Giáo dục\nvà Đào tạo;\n- Lưu: VT.\n",
     ["Sở Giáo dục và Đào tạo", "Lưu: VT"], []),
    ("signature_column_after_semicolon", "- Văn phòng Tỉnh ủy; ST NGHƯC\n- Sở Tài chính;\n- Lưu: VT.\n",
     ["Văn phòng Tỉnh ủy", "Sở Tài chính", "Lưu: VT"], []),
    ("name_fragment_after_semicolon", "- Ban Tổ chức; SH \"Văn Hùng\n- Sở Tài chính;\n- Lưu: VT.\n",
     ["Ban Tổ chức", "Sở Tài chính", "Lưu: VT"], []),
    ("two_offices_in_one_entry_are_kept", "- TT.HU; TT. HĐND huyện;\n- Sở Tài chính;\n- Lưu: VT.\n",
     ["TT.HU; TT. HĐND huyện", "Sở Tài chính", "Lưu: VT"], []),
    ("luu_debris_words_after_a_code", "- Như trên;\n- Lưu: VT, TCCB Ca Gemg,\n",
     ["Như trên", "Lưu: VT, TCCB"], []),
    ("place_unit_misread", "- UBND thành phô Hà Nội;\n- Lưu: VT.\n",
     ["UBND thành phố Hà Nội", "Lưu: VT"], ["copies_to.place_after_unit"]),
    ("code_with_a_doubled_letter", "- Thường trực HĐĐND huyện;\n- Lưu: VT.\n",
     ["Thường trực HĐND huyện", "Lưu: VT"], ["copies_to.code_repair"]),
    ("code_with_II_for_H_known_from_the_letter", "- Ban KHTC;\n- Lưu: VT, KIITC.\n",
     ["Ban KHTC", "Lưu: VT, KHTC"], ["copies_to.code_repair"]),
    ("code_with_a_lower_case_letter_inside", "- Phòng ĐT&CTSV;\n- Lưu: VT, ĐfT&CTSV.\n",
     ["Phòng ĐT&CTSV", "Lưu: VT, ĐT&CTSV"], ["copies_to.code_repair"]),
    ("code_with_a_real_lower_case_letter_is_kept", "- Phòng CTrTT;\n- Lưu: VT, CTrTT.\n",
     ["Phòng CTrTT", "Lưu: VT, CTrTT"], []),
    ("code_the_letter_writes_twice_is_kept", "- Ban HĐĐND;\n- Lưu: VT, HĐĐND.\n",
     ["Ban HĐĐND", "Lưu: VT, HĐĐND"], []),
    ("word_marks_read_back_in_copies", "- Ban Tuyên giáo và Dần vận tỉnh;\n- Lưu: VT.\n",
     ["Ban Tuyên giáo và Dân vận tỉnh", "Lưu: VT"], ["copies_to.word_spelling"]),
    ("capitalised_organ_word_is_no_name", "- Ban Tố chức Tỉnh ủy;\n- Lưu: VT.\n",
     ["Ban Tổ chức Tỉnh ủy", "Lưu: VT"], ["copies_to.word_spelling"]),
    ("luu_code_then_office_name_kept", "- Như trên;\n- Lưu: VT, VP Tỉnh ủy.\n",
     ["Như trên", "Lưu: VT, VP Tỉnh ủy"], []),
]


@pytest.mark.parametrize("name,lines,expected,fixes", COPIES_CASES, ids=[c[0] for c in COPIES_CASES])
def test_copies_to_ocr_forms(name, lines, expected, fixes):
    got, applied = _copies(lines)
    assert got == expected
    assert [r for r in applied if r.startswith("copies_to.")] == fixes


def test_running_head_inside_the_copies_list():
    got, _ = _copies("- Như trên;\n- Sở Nội vụ;\n\n2 CÔNG BÁO/Số 45 + 46/Ngày 20-01-2026\n\n"
                     "- UBND các huyện;\n- Lưu: VT.\n")
    assert got == ["Như trên", "Sở Nội vụ", "UBND các huyện", "Lưu: VT"]


def test_page_number_inside_the_copies_list():
    got, _ = _copies("- Như trên;\n- Sở Nội vụ;\n\n3\n\n- UBND các huyện;\n- Lưu: VT.\n")
    assert got == ["Như trên", "Sở Nội vụ", "UBND các huyện", "Lưu: VT"]


def test_gazette_as_an_addressee_stays():
    got, _ = _copies("- Như trên;\n- Công báo/Cổng TTĐT tỉnh;\n- Lưu: VT.\n")
    assert got == ["Như trên", "Công báo/Cổng TTĐT tỉnh", "Lưu: VT"]
