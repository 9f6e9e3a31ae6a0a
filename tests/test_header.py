"""Header and stamp extraction: table-driven cases of the forms headers take, regressions
named after the dev letter that found them, year inference of stamps, letters without a
header. Expected values were read off the letters (see the gold files of samples/ and of
the dev corpus), never copied from the program's output."""

from __future__ import annotations

import datetime as dt

import pytest

from vn_officialdoc.extract.stamp import infer_year
from vn_officialdoc.gazetteer import fold, gazetteer
from vn_officialdoc.labels import Zone
from vn_officialdoc.pipeline import annotate_text

from conftest import SAMPLES

BODY = "\nKính gửi: Các sở, ban, ngành.\n\nNội dung của văn bản.\n"


def head(text: str) -> dict:
    letter = annotate_text(text)
    f = letter.fields
    rec = f.get("received")
    return {
        "format": f.get("format"), "issuer": f.get("header.issuer.name"),
        "parent": f.get("header.issuer.parent"), "number": f.get("header.number"),
        "symbol": f.get("header.symbol"), "type": f.get("header.doc_type"),
        "place": f.get("header.place"), "date": f.get("header.date"),
        "subject": f.get("header.subject"),
        "received": None if rec is None else (rec.get("number"), rec.get("date")),
        "urgency": f.get("header.urgency"), "secrecy": f.get("header.secrecy"),
        "_letter": letter,
    }


# (name, text, expected subset)
FORMS = [
    ("party_two_column",
     "TỈNH ỦY TUYÊN QUANG\nBAN DÂN VẬN\n*\nSố 234-CV/BDVTU\nVề công tác phòng, chống dịch\n\n"
     "ĐẢNG CỘNG SẢN VIỆT NAM\n\nTuyên Quang, ngày 07 tháng 9 năm 2021\n" + BODY,
     {"format": "party", "issuer": "BAN DÂN VẬN", "parent": "TỈNH ỦY TUYÊN QUANG",
      "number": "234", "symbol": "CV/BDVTU", "type": "Công văn", "place": "Tuyên Quang",
      "date": "2021-09-07", "subject": "Về công tác phòng, chống dịch", "received": None}),
    ("state_merged_columns",
     "VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Số: 3722/VPCP-CN Hà Nội, ngày 28 tháng 4 năm 2026\n\nV/v cơ chế đặc thù xây dựng công trình\n"
     "khẩn cấp đối với Dự án\n" + BODY,
     {"format": "state", "issuer": "VĂN PHÒNG CHÍNH PHỦ", "parent": None, "number": "3722",
      "symbol": "VPCP-CN", "type": "Công văn", "place": "Hà Nội", "date": "2026-04-28",
      "subject": "V/v cơ chế đặc thù xây dựng công trình khẩn cấp đối với Dự án"}),
    ("spaced_party_number",
     "ĐẢNG BỘ TỈNH TUYÊN QUANG\nHUYỆN ỦY SƠN DƯƠNG\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
     "Sơn Dương, ngày 31 tháng 8 năm 2021\n\n*\nSố 632 - CV/HU\n" + BODY,
     {"issuer": "HUYỆN ỦY SƠN DƯƠNG", "parent": "ĐẢNG BỘ TỈNH TUYÊN QUANG", "number": "632",
      "symbol": "CV/HU", "date": "2021-08-31", "place": "Sơn Dương"}),
    ("colon_space_slash",
     "CÔNG AN TP ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "PHÒNG AN CHÍNH TRỊ NỘI BỘ Độc lập - Tự do - Hạnh phúc\n"
     "Số:445 /CV-PA83 Đà Nẵng, ngày 26 tháng 4 năm 2018\n" + BODY,
     {"issuer": "PHÒNG AN CHÍNH TRỊ NỘI BỘ", "parent": "CÔNG AN TP ĐÀ NẴNG", "number": "445",
      "symbol": "CV-PA83", "place": "Đà Nẵng", "date": "2018-04-26"}),
    ("typed_document",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Số: 2676 /QĐ-BGDĐT Hà Nội, ngày 24 tháng9_ năm 2025\n\nQUYẾT ĐỊNH\n"
     "Về việc phê duyệt Tài liệu hướng dẫn\ncho học sinh, sinh viên\n\n"
     "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO\n\nCăn cứ Nghị định số 37/2025/NĐ-CP;\n",
     {"issuer": "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "number": "2676", "symbol": "QĐ-BGDĐT",
      "type": "Quyết định", "date": "2025-09-24",
      "subject": "Về việc phê duyệt Tài liệu hướng dẫn cho học sinh, sinh viên"}),
    ("law_number_with_year",
     "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 201/2025/NĐ-CP, Hà Nội, ngày 11 tháng 7 năm 2025\nNGHỊ ĐỊNH\n\n"
     "Quy định chức năng, nhiệm vụ và quyền hạn của đại học quốc gia\n\nCăn cứ Luật;\n",
     {"issuer": "CHÍNH PHỦ", "number": "201", "symbol": "2025/NĐ-CP", "type": "Nghị định",
      "subject": "Quy định chức năng, nhiệm vụ và quyền hạn của đại học quốc gia"}),
    ("urgency_mark",
     "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 12/UBND-VX\nV/v phòng chống bão\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Quảng Trị, ngày 02 tháng 10 năm 2020\nHỎA TỐC\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "parent": None, "number": "12",
      "symbol": "UBND-VX", "urgency": "HỎA TỐC", "date": "2020-10-02",
      "subject": "V/v phòng chống bão"}),
    ("stamp_fields_on_their_own_lines",
     "ỦY BAN NHÂN DÂN\nHUYỆN SƠN DƯƠNG\nSố: 88/UBND-VP\nV/v họp giao ban\n\nPHÒNG GIÁO DỤC\nĐẾN\n"
     "Số: 1234\nNgày: 12/3\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Sơn Dương, ngày 10 tháng 3 năm 2021\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN HUYỆN SƠN DƯƠNG", "number": "88", "symbol": "UBND-VP",
      "subject": "V/v họp giao ban", "received": ("1234", "2021-03-12"),
      "date": "2021-03-10"}),
    ("longer_title",
     "TỈNH ỦY QUẢNG TRỊ\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-TB/TU\nQuảng Trị, ngày 2 tháng 3 năm 2021\n"
     "THÔNG BÁO KẾT LUẬN\ncủa Ban Thường vụ Tỉnh ủy về công tác phòng, chống dịch\n\nCăn cứ Quy chế;\n",
     {"issuer": "TỈNH ỦY QUẢNG TRỊ", "type": "Thông báo", "number": "12", "symbol": "TB/TU",
      "subject": "của Ban Thường vụ Tỉnh ủy về công tác phòng, chống dịch"}),
    ("party_name_inside_a_subject",
     "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 15/UBND-VX\n"
     "V/v kỷ niệm 95 năm ngày thành lập Đảng Cộng sản Việt Nam\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Quảng Trị, ngày 02 tháng 01 năm 2025\n" + BODY,
     {"format": "state", "subject": "V/v kỷ niệm 95 năm ngày thành lập Đảng Cộng sản Việt Nam"}),
    ("issuer_and_number_on_one_line",
     "TỈNH ỦY TUYÊN QUANG ĐẢNG CỘNG SẢN VIỆT NAM\nBAN DÂN VẬN Số 234-CV/BDVTU\n"
     "Tuyên Quang, ngày 07 tháng 9 năm 2021 V/v triển khai công tác dân vận\n" + BODY,
     {"issuer": "BAN DÂN VẬN", "parent": "TỈNH ỦY TUYÊN QUANG", "number": "234",
      "symbol": "CV/BDVTU", "date": "2021-09-07", "subject": "V/v triển khai công tác dân vận"}),
    ("word_broken_at_line_end",
     "SỞ Y TẾ\nSố: 5/SYT-NV\nV/v phòng, chống dịch Covid-\n19 trong trường học\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + BODY,
     {"issuer": "SỞ Y TẾ", "subject": "V/v phòng, chống dịch Covid-19 trong trường học"}),
    ("debris_between_issuer_and_number",
     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN SƠN DƯƠNG Độc lập - Tự do - Hạnh phúc\n"
     "I`šïš. Hội vố\nSố: 77/UBND-VP Sơn Dương, ngày 3 tháng 5 năm 2021\nV/v báo cáo\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN HUYỆN SƠN DƯƠNG", "number": "77", "date": "2021-05-03",
      "subject": "V/v báo cáo"}),
    ("party_notice_subject_opens_in_capitals",
     # HD 36: under the type title, the trích yếu may open with a capital line that reads
     # like another type and an organ ('KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY'), then goes on
     # in lower case
     "ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY QUẢNG TRỊ\nĐông Hà, ngày 04 tháng 10 năm 2022\n*\n"
     "Số 312-TB/TU\n\nTHÔNG BÁO\nKẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY\n"
     "về công tác phòng, chống thiên tai năm 2022\n\nNgày 30/9/2022, Ban Thường vụ Tỉnh ủy "
     "đã họp.\n1- Các cấp ủy thực hiện nghiêm phương châm.\n",
     {"format": "party", "issuer": "TỈNH ỦY QUẢNG TRỊ", "number": "312", "symbol": "TB/TU",
      "type": "Thông báo", "date": "2022-10-04",
      "subject": "KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY về công tác phòng, chống thiên tai năm 2022"}),
    ("invitation_subject_ends_at_the_invitation_sentence",
     "HUYỆN ỦY CHIÊM HÓA\nVĂN PHÒNG\n*\nSố 45-GM/VPHU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
     "Chiêm Hóa, ngày 12 tháng 3 năm 2023\n\nGIẤY MỜI\nDự hội nghị sơ kết công tác quý I\n\n"
     "Văn phòng Huyện ủy trân trọng kính mời:\n- Đồng chí Bí thư Đảng ủy các xã;\n",
     {"format": "party", "issuer": "VĂN PHÒNG", "parent": "HUYỆN ỦY CHIÊM HÓA",
      "number": "45", "symbol": "GM/VPHU", "type": "Giấy mời",
      "subject": "Dự hội nghị sơ kết công tác quý I"}),
    ("right_column_first_date_above_the_issuer",
     # OCR read the right column first: motto, date, then the issuer's two lines
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Lâm Đồng, ngày 05 tháng 7 năm 2023\n\nUBND TỈNH LÂM ĐỒNG\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\n"
     "Số: 1873/BC-STNMT\n\nBÁO CÁO\nKết quả công tác quản lý đất đai\n\n"
     "Thực hiện Công văn số 2210/UBND-KT ngày 14/6/2023.\n",
     {"format": "state", "issuer": "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "parent": "UBND TỈNH LÂM ĐỒNG",
      "number": "1873", "date": "2023-07-05", "place": "Lâm Đồng", "type": "Báo cáo",
      "subject": "Kết quả công tác quản lý đất đai"}),
    ("organ_name_wrapped_over_two_lines",
     "BỘ NÔNG NGHIỆP\nVÀ PHÁT TRIỂN NÔNG THÔN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 45/BNN-TY\nHà Nội, ngày 2 tháng 3 năm 2024\n"
     "V/v phòng, chống dịch bệnh\n" + BODY,
     {"issuer": "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "parent": None, "number": "45"}),
    ("department_under_its_ministry_is_not_a_wrapped_name",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nVỤ GIÁO DỤC MẦM NON\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 12/GDMN\nHà Nội, ngày 2 tháng 3 năm 2024\n"
     "V/v tổ chức tập huấn\n" + BODY,
     {"issuer": "VỤ GIÁO DỤC MẦM NON", "parent": "BỘ GIÁO DỤC VÀ ĐÀO TẠO"}),
    ("unit_line_with_a_lower_case_ocr_letter",
     "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃl\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 45/UBND-KT\nQuảng Ngãi, ngày 2 tháng 3 năm 2024\n"
     "V/v phòng, chống dịch bệnh\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "parent": None}),
    ("ward_line_is_no_type_title_and_minutes_open_with_the_hour",
     # 'PHƯỜNG AN' reads like 'PHƯƠNG ÁN', 'XÃ AN' was read as 'ĐỀ ÁN'; a Biên bản's body
     # opens with 'Hồi ... giờ ...'
     "ỦY BAN NHÂN DÂN\nPHƯỜNG AN HẢI BẮC\nSố: 09/BB-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nAn Hải Bắc, ngày 11 tháng 10 năm 2023\n\nBIÊN BẢN\n"
     "Họp đối thoại với hộ dân về phương án bồi thường\n\nHồi 14 giờ 00 ngày 11/10/2023, tại "
     "Hội trường Ủy ban nhân dân phường.\n",
     {"issuer": "ỦY BAN NHÂN DÂN PHƯỜNG AN HẢI BẮC", "type": "Biên bản", "number": "09",
      "subject": "Họp đối thoại với hộ dân về phương án bồi thường"}),
    ("commune_line_is_no_type_title",
     "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 15/UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nAn Bình, ngày 3 tháng 4 năm 2024\nV/v báo cáo số liệu\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN XÃ AN BÌNH", "type": "Công văn", "subject": "V/v báo cáo số liệu"}),
    ("local_body_names_with_misread_marks",
     # OCR misread marks in the head of a local body's name; the place after it is read
     # against the gazetteer as before
     "TỈNH ỦY TUYÊN QUANG\nHUYỆN ÚY YÊN SƠN\n*\nSố 45-CV/HU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
     "Yên Sơn, ngày 2 tháng 3 năm 2024\nV/v tổ chức hội nghị\n" + BODY,
     {"issuer": "HUYỆN ỦY YÊN SƠN", "parent": "TỈNH ỦY TUYÊN QUANG"}),
    ("department_name_with_a_misread_mark",
     "UBND TỈNH HÀ GIANG\nSỞ GIAO THÔNG VẶN TẢI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 12/SGTVT-VP\nHà Giang, ngày 2 tháng 3 năm 2024\n"
     "V/v bảo đảm giao thông\n" + BODY,
     {"issuer": "SỞ GIAO THÔNG VẬN TẢI", "parent": "UBND TỈNH HÀ GIANG"}),
    ("unit_word_with_a_misread_mark",
     # 'TINH' for 'TỈNH' before a known place; 'UỶ' (the older placement of the mark) kept
     "UỶ BAN NHÂN DÂN TINH LẠNG SƠN\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 12/SYT-NV\nLạng Sơn, ngày 2 tháng 3 năm 2024\n"
     "V/v phòng, chống dịch\n" + BODY,
     {"issuer": "SỞ Y TẾ", "parent": "UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN"}),
    ("management_is_no_unit_word",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nCỤC QUẢN LÝ CHẤT LƯỢNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 12/QLCL-KĐ\nHà Nội, ngày 2 tháng 3 năm 2024\n"
     "V/v kiểm định chất lượng\n" + BODY,
     {"issuer": "CỤC QUẢN LÝ CHẤT LƯỢNG", "parent": "BỘ GIÁO DỤC VÀ ĐÀO TẠO"}),
    ("subject_going_on_with_a_cited_number",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 4420/BGDĐT-GDTrH Hà Nội, ngày 28 tháng 8 năm 2025\n"
     "V/v góp ý dự thảo Thông tư sửa đổi, bổ sung Thông tư\nsố 22/2021/TT-BGDĐT ngày 20/7/2021\n"
     "\nKính gửi: Bộ Tư pháp.\n\nNội dung.\n",
     {"number": "4420", "symbol": "BGDĐT-GDTrH",
      "subject": "V/v góp ý dự thảo Thông tư sửa đổi, bổ sung Thông tư số 22/2021/TT-BGDĐT "
                 "ngày 20/7/2021"}),
    ("number_with_ocr_letters_for_digits",
     "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Sô: l4O/NQ-CP Hà Nội, ngày 5 tháng 9 năm 2025\nNGHỊ QUYẾT\nPhiên họp thường kỳ\n\n"
     "Căn cứ Luật;\n",
     {"number": "140", "symbol": "NQ-CP", "type": "Nghị quyết"}),
    ("symbol_wrapped_after_the_slash",
     "CHÍNH PHỦ\n\nSố: 118/\n2025/NĐ-CP\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 3 tháng 6 năm 2025\n\nNGHỊ ĐỊNH\n"
     "Sửa đổi một số điều\n\nCăn cứ Luật;\n",
     {"number": "118", "symbol": "2025/NĐ-CP", "type": "Nghị định"}),
    ("youth_union_heading_is_cut_from_the_issuer_line",
     "BCH ĐOÀN TỈNH QUẢNG NGÃI ĐOÀN TNCS HỒ CHÍ MINH\n***\n"
     "Số: 312-CV/TĐTN-PT Quảng Ngãi, ngày 04 tháng 7 năm 2025\nV/v triển khai Chiến dịch\n"
     + BODY,
     {"format": "unknown", "issuer": "BCH ĐOÀN TỈNH QUẢNG NGÃI", "number": "312",
      "symbol": "CV/TĐTN-PT", "place": "Quảng Ngãi"}),
    ("stamp_office_and_mark_on_one_line",
     # the receiving office's name and the 'ĐẾN' mark on one header row; OCR read the
     # stamp's 0 as O
     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH SÓC TRĂNG Độc lập - Tự do - "
     "Hạnh phúc\nSỞ TÀI CHÍNH ĐẾN Số: 4O1\nSố: 862/QĐ-UBND Sóc Trăng, ngày 10 tháng 4 năm "
     "2025 Ngày: 11/4/2025\n\nQUYẾT ĐỊNH\nVề việc phân bổ kinh phí\n\nCăn cứ Luật;\n",
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", "parent": None, "number": "862",
      "received": ("401", "2025-04-11")}),
    ("stamp_office_read_at_the_end_of_a_subject_line",
     "BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Số: 6120/BNV-CCVC Hà Nội, ngày 29 tháng 12 năm 2025\n\n"
     "V/v hướng dẫn đánh giá, xếp loại chất SỞ NỘI VỤ TỈNH CAO BẰNG\n"
     "lượng công chức, viên chức năm 2025 ĐẾN Số: 2231\nNgày: 02/01\n" + BODY,
     {"subject": "V/v hướng dẫn đánh giá, xếp loại chất lượng công chức, viên chức năm 2025",
      "received": ("2231", "2026-01-02")}),
    ("vv_with_a_colon",
     "BẢO HIỂM XÃ HỘI TỈNH HÀ NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 712/BHXH-QLT Hà Nam, ngày 5 tháng 7 năm 2024\nV/v: đôn đốc thu, nộp bảo hiểm xã hội\n"
     + BODY, {"subject": "V/v: đôn đốc thu, nộp bảo hiểm xã hội"}),
    ("subject_in_capitals_wrapped",
     "VIỆN KIỂM SÁT NHÂN DÂN TỈNH GIA LAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 803/VKS-P2 Gia Lai, ngày 12 tháng 8 năm 2024\n"
     "VỀ VIỆC TĂNG CƯỜNG KIỂM SÁT\nGIẢI QUYẾT TIN BÁO VỀ TỘI PHẠM\n" + BODY,
     {"subject": "VỀ VIỆC TĂNG CƯỜNG KIỂM SÁT GIẢI QUYẾT TIN BÁO VỀ TỘI PHẠM"}),
    ("subject_in_capitals_then_an_organ_line",
     # a real organ's name under a subject in capitals is not its continuation
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 12/SYT-NV Hà Nam, ngày 5 tháng 7 năm 2024\nV/V KIỂM TRA AN TOÀN THỰC PHẨM\n"
     "SỞ Y TẾ TỈNH HÀ NAM\n" + BODY,
     {"subject": "V/V KIỂM TRA AN TOÀN THỰC PHẨM"}),
    ("draft_mark_lower_case_thuc_hien_and_dotted_stamp_number",
     # 'DỰ THẢO' above the header is no parent; a subject line in lower case 'thực hiện
     # ...' goes on with it; the stamp's number after dot leaders
     "DỰ THẢO\nỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LONG AN Độc lập - Tự do - "
     "Hạnh phúc\nĐẾN Số:..2145.....\nSố: /QĐ-UBND Long An, ngày 3 tháng 5 năm 2024\n\n"
     "QUYẾT ĐỊNH\nPhê duyệt Phương án bồi thường khi Nhà nước thu hồi đất\n"
     "thực hiện dự án nâng cấp đường tỉnh 830\n\nCăn cứ Luật Đất đai;\n",
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH LONG AN", "parent": None, "number": None,
      "subject": "Phê duyệt Phương án bồi thường khi Nhà nước thu hồi đất thực hiện dự án "
                 "nâng cấp đường tỉnh 830",
      "received": ("2145", None)}),
    ("abbreviated_city_in_a_central_organ_kept_as_printed",
     "ĐẠI HỌC QUỐC GIA TP. HỒ CHÍ MINH\nTRƯỜNG ĐẠI HỌC BÁCH KHOA\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/ĐHBK-ĐT\n"
     "TP. Hồ Chí Minh, ngày 3 tháng 5 năm 2024\nV/v khai giảng\n" + BODY,
     {"issuer": "TRƯỜNG ĐẠI HỌC BÁCH KHOA", "parent": "ĐẠI HỌC QUỐC GIA TP. HỒ CHÍ MINH"}),
    ("recipients_heading_read_onto_the_subject_line",
     "TRƯỜNG ĐẠI HỌC Y DƯỢC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 45/TB-ĐHYD Cần Thơ, ngày 3 tháng 9 năm 2024\nTHÔNG BÁO\n"
     "Về việc tổ chức lễ khai giảng năm học 2024 - 2025 Kính gửi: Các đơn vị thuộc Trường.\n\n"
     "Căn cứ Kế hoạch năm học;\n",
     {"type": "Thông báo", "subject": "Về việc tổ chức lễ khai giảng năm học 2024 - 2025"}),
    ("subject_all_in_capitals_under_the_title",
     "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 04/ĐA-UBND\nHà Giang, ngày 28 tháng 02 năm 2025\n\n"
     "ĐỀ ÁN\nPHÁT TRIỂN DU LỊCH CỘNG ĐỒNG GẮN VỚI BẢO TỒN\nVĂN HÓA CÁC DÂN TỘC GIAI ĐOẠN "
     "2025 - 2030\n\nI. SỰ CẦN THIẾT\n",
     {"type": "Đề án", "subject": "PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG GẮN VỚI BẢO TỒN VĂN HÓA CÁC "
                                  "DÂN TỘC GIAI ĐOẠN 2025 - 2030"}),
    ("rule_beside_the_issuer_on_its_row",
     "TỈNH ỦY PHÚ THỌ ĐẢNG CỘNG SẢN VIỆT NAM\nBAN TUYÊN GIÁO ---------------\n*\n"
     "Việt Trì, ngày 12 tháng 5 năm 2025\nSố 318-CV/BTGTU\nV/v tuyên truyền\n" + BODY,
     {"issuer": "BAN TUYÊN GIÁO", "parent": "TỈNH ỦY PHÚ THỌ", "number": "318"}),
    ("party_name_inside_the_subject",
     "HUYỆN ỦY TRIỆU SƠN\n*\nSố 214-KH/HU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
     "Triệu Sơn, ngày 06 tháng 01 năm 2025\nKẾ HOẠCH\n"
     "tổ chức các hoạt động kỷ niệm 95 năm Ngày thành lập\n"
     "Đảng Cộng sản Việt Nam (3/2/1930 - 3/2/2025)\n\nI. MỤC ĐÍCH\n",
     {"format": "party", "type": "Kế hoạch",
      "subject": "tổ chức các hoạt động kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam "
                 "(3/2/1930 - 3/2/2025)"}),
    ("commune_missing_from_the_gazetteer_is_kept",
     # 'PHÚC SẠN' is not listed; the listed 'PHÚC AN' differs in a word's first letter
     "ỦY BAN NHÂN DÂN\nXÃ PHÚC SẠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 12/QĐ-UBND\nPhúc Sạn, ngày 1Ô tháng 12 năm 2024\n"
     "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\n\nCăn cứ Luật;\n",
     {"issuer": "ỦY BAN NHÂN DÂN XÃ PHÚC SẠN", "place": "Phúc Sạn", "date": "2024-12-10"}),
    ("issuer_ending_in_a_type_name",
     # 'PHÒNG TÀI CHÍNH - KẾ HOẠCH' names a body; the type is the title below
     "UBND HUYỆN ĐẠI TỪ\nPHÒNG TÀI CHÍNH - KẾ HOẠCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\nSố: 56/TTr-TCKH\nĐại Từ, ngày 6 tháng 5 năm 2025\n\n"
     "TỜ TRÌNH\nVề việc phân bổ kinh phí\n\nKính gửi: Ủy ban nhân dân huyện.\n",
     {"issuer": "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "parent": "UBND HUYỆN ĐẠI TỪ", "type": "Tờ trình",
      "subject": "Về việc phân bổ kinh phí"}),
    ("place_with_the_older_mark_placement_kept",
     "ỦY BAN NHÂN DÂN\nXÃ NAM HOÀ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 12/UBND\nngày 6 tháng 5 năm 2025\nV/v báo cáo\n" + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN XÃ NAM HOÀ"}),
    ("date_with_ocr_o_acute_for_six",
     "SỞ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 12/SYT-NV Tây Ninh, ngày 1ó tháng 10 năm 2024\nV/v phòng dịch\n" + BODY,
     {"date": "2024-10-16"}),
    ("authority_line_under_the_title_is_not_the_subject",
     # the capital line under the title is followed by a capitalised line, not by the
     # lower-case rest of a trích yếu: the head ends there, as before
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 12/QĐ-BGDĐT Hà Nội, ngày 4 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\n"
     "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO\nCăn cứ Nghị định số 37/2025/NĐ-CP;\n",
     {"type": "Quyết định", "subject": None}),
    ("no_header_typed",
     "KẾ HOẠCH\n\nThực hiện tuyên truyền Thông báo Kết luận số 172 -TB/TW\n\n"
     "Thực hiện Hướng dẫn số 91- HD/BTGTW ngày 03/4/2020 của Ban Tuyên giáo Quận ủy về hướng "
     "dẫn thực hiện Thông báo.\n",
     {"format": "unknown", "issuer": None, "number": None, "date": None, "type": "Kế hoạch",
      "subject": "Thực hiện tuyên truyền Thông báo Kết luận số 172 -TB/TW"}),
]


@pytest.mark.parametrize("name,text,expected", FORMS, ids=[f[0] for f in FORMS])
def test_header_forms(name, text, expected):
    got = head(text)
    for key, value in expected.items():
        assert got[key] == value, f"{name}: {key}"


# regressions, each named after the dev letter (shared/corpus/dev) that found it
REGRESSIONS = [
    ("D001_illegible_number_merged_unit",
     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
     "TỈNH HẢI DƯƠNG Độc lập - Tự do - Hạnh phúc\n"
     "Số: ÈŒ /QĐ-UBND Hải Dương, ngày |D tháng Ú1 năm 2011\nQUYÉT ĐỊNH\n\n"
     "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh đối với\nlãnh đạo UBND tỉnh năm 2010\n\n"
     "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG\n\nCăn cứ Luật Tổ chức HĐND và UBND;\n",
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG", "number": None, "symbol": "QĐ-UBND",
      "place": "Hải Dương", "date": None, "type": "Quyết định",
      "subject": "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh đối với lãnh đạo UBND tỉnh năm 2010"}),
    ("D002_unit_place_read_back",
     "TH. b~\n\nỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
     "TỈNH HÁI DƯƠNG Độc lập - Tự do - Hạnh phúc\nSố: (_/QĐ-UBND Hải Dương, ngày |D tháng 01 năm 2011\n"
     + BODY,
     {"issuer": "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG", "number": None, "symbol": "QĐ-UBND"}),
    ("D004_stamp_before_subject",
     "THỦ TƯỚNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n----- Độc lập - Tự do - Hạnh phúc\n\n"
     "Só: #2 /QĐ-TTg Hà Nội, ngày33 tháng 4 năm 2026\n“ GÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHÙ\n"
     "đống G:....É QUYÉT ĐỊNH\nĐỀN quy, 221412)26...| Phê chuẩn kết quả bầu chức vụ Chủ tịch\n\n"
     "Ủy ban nhân dân thành phố Đà Nẵng nhiệm kỳ 2026 - 2031\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\nCăn cứ Luật;\n",
     {"issuer": "THỦ TƯỚNG CHÍNH PHỦ", "number": None, "symbol": "QĐ-TTg", "date": None,
      "type": "Quyết định",
      "subject": "Phê chuẩn kết quả bầu chức vụ Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng nhiệm kỳ 2026 - 2031"}),
    ("D006_stamp_office_is_not_issuer",
     "BỘ CÔNG THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n------- Độc lập - Tự do - Hạnh phúc\n\n"
     "| | VĂN PHÒNG CHÍNH PHỦ :\nSố: 2 † /2026/TT-BCT Hà Nội, ngàyJ© lh@wÔR\\ tău X4ĐẾN |\n"
     "r VN Giờ....C... Ngày ..22⁄4.........\n\nCăn cứ Luật;\n",
     {"issuer": "BỘ CÔNG THƯƠNG", "number": None, "symbol": "2026/TT-BCT", "place": "Hà Nội",
      "date": None, "type": "Thông tư", "received": (None, "2026-04-22")}),
    ("D007_body_paragraph_after_subject",
     "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 453\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập – Tự do – Hạnh phúc\n\n/TB-UBND\nHà Nội, ngày 29 tháng 4 năm 2026\n\nTHÔNG BÁO\n"
     "Về việc treo cờ Tổ quốc\nNhân dịp Đại hội đại biểu toàn quốc Mặt trận Tổ quốc Việt Nam lần thứ XI,\n"
     "nhiệm kỳ 2026 -2031. Ủy ban nhân dân thành phố Hà Nội đề nghị các cơ quan,\n",
     {"issuer": "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "number": "453", "symbol": "TB-UBND",
      "type": "Thông báo", "subject": "Về việc treo cờ Tổ quốc"}),
    ("D008_date_over_lines",
     "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố:173\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n/KH-UBND\n\n"
     "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 28\n\ntháng 4\n\nnăm 2026\n\nKẾ HOẠCH\n"
     "Tổ chức “Festival Thăng Long - Hà Nội lần thứ II, năm 2026”\n\nThực hiện Nghị quyết;\n",
     {"number": "173", "symbol": "KH-UBND", "date": "2026-04-28", "type": "Kế hoạch",
      "subject": "Tổ chức “Festival Thăng Long - Hà Nội lần thứ II, năm 2026”"}),
    ("D013_lower_cased_flat_text",
     "bọ giáo dục và đào tạo cộng hòa xã hộl chủ nghĩa việt nam độc lập tự do hạnh phúc số : "
     "2827 iqđ-bgdđt hà nội , ngày 14 tháng 10 năm 2025 quyét định về việc công bố\n",
     {"format": "state", "issuer": "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "number": "2827",
      "symbol": "QĐ-BGDĐT", "place": "Hà Nội", "date": "2025-10-14", "type": "Quyết định"}),
    ("D021_year_with_a_digit_too_many",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Số: 2605 /QĐÐ-BGDĐT Hà Nội, ngàyl6 tháng 9 năm 20235\n\nQUYÉT ĐỊNH\n\n"
     "Về việc bổ sung công chức\n\nBỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO\n\n"
     "Căn cứ Nghị định 37/2025/NĐ-CP ngày 26 tháng 02 năm 2025 của Chính phủ;\n",
     {"number": "2605", "symbol": "QĐ-BGDĐT", "date": "2025-09-16"}),
    ("D026_glued_number_and_eth",
     "SAOY „\nĐại học Quôc gia Hà Nội\n\nThời gian ký: 07/06/2024 14:57:18 +07:00\n\n"
     "ĐẠI HỌC QUÓC GIA HÀ NỘI CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Só:2QĐÐ-ĐHQGHN Hà Nội, ngày O5 tháng 6 năm 2024\n" + BODY,
     {"issuer": "ĐẠI HỌC QUỐC GIA HÀ NỘI", "parent": None, "number": None,
      "symbol": "QĐ-ĐHQGHN", "date": "2024-06-05"}),
    ("D032_motto_words_inside_subject",
     "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n"
     "Số: 3283 /KH-BVHTTDL\n\nHà Nội, ngày 07 tháng 7 năm 2025\n\nKẾ HOẠCH\n"
     "Tổ chức các hoạt động kỷ niệm 80 năm Cách mạng tháng Tám thành công\n"
     "và Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam\nThực hiện Quyết định số 12-QĐ/BCĐTW;\n",
     {"issuer": "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "type": "Kế hoạch",
      "subject": "Tổ chức các hoạt động kỷ niệm 80 năm Cách mạng tháng Tám thành công và Quốc "
                 "khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam"}),
    ("D034_top_level_organ_has_no_parent",
     "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ\nThời gian ký: 26/06/2025 15:19:01 +07:00\n\n"
     "CÔNG BÁO/Số: 807 + 808/Ngày 24-6-2025\n\n3\n\nVĂN BẢN QUY PHẠM PHÁP LUẬT\n"
     "CHỦ TỊCH NƯỚC - QUỐC HỘI\nCHỦ TỊCH NƯỚC\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\n\nSố: 07/2025/L-CTN\n\nHà Nội, ngày 16 tháng 6 năm 2025\n\nLỆNH\n"
     "Về việc công bố Nghị quyết\n\nCHỦ TỊCH\n",
     {"issuer": "CHỦ TỊCH NƯỚC", "parent": None, "number": "07", "symbol": "2025/L-CTN",
      "type": "Lệnh", "subject": "Về việc công bố Nghị quyết"}),
    ("D037_title_case_party_heading",
     "Bí thư Trung ương Đảng Dang\nBan Bí thư Trung ương Đảng Dang\n01-07-2025 16:18:27 +07:00\n\n"
     "Ban Chấp hành Trung ương Đảng Công sản Việt Nam\n* Hà Nội, ngày 27 tháng 6 năm 2025\n\n"
     "Số 335-QD/TW\n\nQUY ĐỊNH\nChức năng, nhiệm vụ của đảng bộ cơ sở\n\n- Căn cứ Điều lệ Đảng;\n",
     {"format": "party", "number": "335", "symbol": "QĐ/TW", "type": "Quy định",
      "date": "2025-06-27", "subject": "Chức năng, nhiệm vụ của đảng bộ cơ sở"}),
    ("D038_banner_before_header",
     "BAN Bí THU TRƯNG ƯƠNG DANG\nBAN BI THU TRUNG ƯƠNG DANG\n01-07-2025 16:18:50 +07:00\n\n"
     "BAN CHÍ PHÁN HÀNH TRUNG ƯƠNG DANG CONG SAN VIET NAM\nHà Nội, ngày 27 tháng 6 năm 2025\n\n"
     "Số 336-QD/TW\n\nQUY ĐỊNH Chức năng, nhiệm vụ của đảng bộ cơ sở\n\n- Căn cứ Điều lệ Đảng;\n",
     {"format": "party", "issuer": "BAN CHẤP HÀNH TRUNG ƯƠNG", "parent": None,
      "type": "Quy định", "subject": "Chức năng, nhiệm vụ của đảng bộ cơ sở"}),
    ("D045_month_inside_subject",
     "ĐẠI HỌC QUỐC GIA HÀ NỘI\nTRƯỜNG ĐẠI HỌC NGOẠI NGỮ\n\nSố: 2184\n\n/TB-ĐHNN\n\n"
     "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n"
     "Hà Nội, ngày 05 tháng 12 năm 2024\n\nTHÔNG BÁO\nKế hoạch tổ chức thi đánh giá năng lực ngoại ngữ\n"
     "tháng 1/2025\nCăn cứ Thông tư số 01/2014/TT-BGDĐT;\n",
     {"issuer": "TRƯỜNG ĐẠI HỌC NGOẠI NGỮ", "parent": "ĐẠI HỌC QUỐC GIA HÀ NỘI",
      "number": "2184", "symbol": "TB-ĐHNN", "type": "Thông báo",
      "subject": "Kế hoạch tổ chức thi đánh giá năng lực ngoại ngữ tháng 1/2025"}),
]


@pytest.mark.parametrize("name,text,expected", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_header_regressions(name, text, expected):
    got = head(text)
    for key, value in expected.items():
        assert got[key] == value, f"{name}: {key}"


# ---- the stamp --------------------------------------------------------------------------
def test_stamp_number_is_not_the_letters_number():
    text = (SAMPLES / "S001.txt").read_text("utf-8")
    got = head(text)
    assert got["number"] == "632"
    assert got["received"] == ("1172", "2021-09-06")
    zones = {ln.text: ln.zone for ln in got["_letter"].lines if ln.text.strip()}
    assert zones["ĐẾN Số: 1172"] is Zone.STAMP
    assert zones["VĂN PHÒNG HĐND-UBND HUYỆN SƠN DƯƠNG"] is Zone.STAMP


def test_yearless_stamp_takes_the_issue_year_with_warning():
    text = (SAMPLES / "S003.txt").read_text("utf-8")
    got = head(text)
    assert got["received"] == ("906", "2020-08-11")
    assert any(w.code.value == "W011" for w in got["_letter"].warnings)


@pytest.mark.parametrize("day,month,issued,year,expected", [
    (11, 8, dt.date(2020, 8, 7), None, dt.date(2020, 8, 11)),      # just after the issue date
    (3, 1, dt.date(2020, 12, 28), None, dt.date(2021, 1, 3)),      # over the new year
    (7, 8, dt.date(2020, 8, 7), None, dt.date(2020, 8, 7)),        # the same day
    (22, 4, None, 2026, dt.date(2026, 4, 22)),                     # only the symbol's year
    (22, 4, None, None, None),                                     # nothing to go by: null
    (30, 2, dt.date(2020, 1, 1), None, None),                      # not a calendar date
])
def test_infer_year(day, month, issued, year, expected):
    assert infer_year(day, month, issued, year) == expected


def test_five_digit_year_without_cited_years_is_null():
    got = head("CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "Số: 12/NQ-CP Hà Nội, ngày 16 tháng 9 năm 20235\n" + BODY)
    assert got["date"] is None
    assert got["place"] == "Hà Nội"


def test_illegible_stamp_gives_null_parts():
    got = head("VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "Số: 3722/VPCP-CN Hà Nội, ngày 28 tháng 4 năm 2026\n"
               "V/v cơ chế đặc thù\nquốc tế Long Thành ĐỀN Ngày:.2Š.|..L2O26...\n" + BODY)
    assert got["received"] == (None, None)
    assert got["subject"] == "V/v cơ chế đặc thù quốc tế Long Thành"
    assert got["number"] == "3722"


def test_no_stamp_no_received():
    assert head((SAMPLES / "S000.txt").read_text("utf-8"))["received"] is None


# ---- letters without a header ---------------------------------------------------------------
@pytest.mark.parametrize("sample", ["S002", "S004"])
def test_no_header_gives_nulls_and_W001(sample):
    got = head((SAMPLES / f"{sample}.txt").read_text("utf-8"))
    for key in ("issuer", "parent", "number", "symbol", "place", "date", "received"):
        assert got[key] is None, key
    assert got["format"] == "unknown"
    letter = got["_letter"]
    assert any(w.code.value == "W001" for w in letter.warnings)
    assert not any(ln.zone is Zone.HEADER for ln in letter.lines)


@pytest.mark.parametrize("text", [
    # a continuation page: it begins mid-sentence (lower case), and its lines are short
    "các đồng chí cán bộ, đảng viên cần làm tốt\nviệc phòng chống dịch tại địa phương;\n"
    "tổ chức tuyên truyền sâu rộng đến nhân dân\nvề các biện pháp phòng dịch, thực hiện\n"
    "theo Văn bản số 635-CV/TU ngày 24/8/2021.\n",
    # one long line opening in lower case, then a paragraph
    "các đồng chí cán bộ, đảng viên cần làm tốt việc phòng chống dịch tại địa phương.\n"
    "Tổ chức tuyên truyền sâu rộng đến nhân dân về các biện pháp phòng dịch.\n",
])
def test_headless_page_keeps_its_lines_in_the_body(text):
    """Without a header part anywhere, the head reading labels no line NOISE: the page's
    running text is the body (it used to be dropped as noise up to the first stop line)."""
    letter = annotate_text(text)
    zones = [ln.zone for ln in letter.lines if ln.text.strip()]
    assert zones and all(z is Zone.BODY for z in zones), zones
    assert any(w.code.value == "W001" for w in letter.warnings)


def test_headless_page_slogan_is_read():
    """Slogans are read in the body only: on a page without a header they used to be lost
    with the lines the head reading took for noise."""
    text = ("các đồng chí cán bộ, đảng viên cần làm tốt\nviệc phòng chống dịch theo phương\n"
            'châm "đi từng ngõ, gõ từng nhà, rà từng người"\ntại địa phương mình.\n')
    slogans = annotate_text(text).fields.get("slogans") or []
    assert [s["text"] for s in slogans] == ["đi từng ngõ, gõ từng nhà, rà từng người"]


def test_preamble_citing_a_document_after_the_subject_is_the_body():
    """A first paragraph that does not open with 'Căn cứ' / 'Thực hiện' but cites a
    document by number and date ends the head: it is the body, and its citations are
    read."""
    text = ("THỦ TƯỚNG CHÍNH PHỦ\n--------\nSố: 14/CT-TTg\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
            "NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\nHà Nội, ngày 27 tháng 3 năm 2025"
            "\n\n**CHỈ THỊ**\n**Về tăng cường phòng, chống cháy rừng mùa khô năm 2025**\n\n"
            "Mùa khô năm 2025 được dự báo nắng nóng gay gắt, kéo dài tại các tỉnh Tây Nguyên "
            "và Nam Trung Bộ, nguy cơ cháy rừng ở mức cấp IV, cấp V. Thực hiện Luật Lâm "
            "nghiệp số 16/2017/QH14 và Nghị định số 156/2018/NĐ-CP ngày 16 tháng 11 năm 2018 "
            "của Chính phủ, Thủ tướng Chính phủ yêu cầu:\n\n1. Các tỉnh chịu trách nhiệm.\n")
    letter = annotate_text(text)
    assert letter.fields["header.subject"] == "Về tăng cường phòng, chống cháy rừng mùa khô năm 2025"
    assert [r["text"] for r in letter.fields["references"]] == ["16/2017/QH14", "156/2018/NĐ-CP"]
    para = next(ln for ln in letter.lines if ln.text.startswith("Mùa khô"))
    assert para.zone is Zone.BODY


def test_S002_without_type_title_is_a_cong_van():
    assert head((SAMPLES / "S002.txt").read_text("utf-8"))["type"] == "Công văn"


# ---- provenance and corrections -------------------------------------------------------------
def test_fields_keep_raw_line_numbers_and_corrections():
    letter = annotate_text((SAMPLES / "S001.txt").read_text("utf-8"))
    prov = letter.provenance
    assert prov["header.issuer.name"] == [4]
    assert prov["header.issuer.parent"] == [3]
    assert prov["header.number"] == [11]
    assert prov["received"] and 17 in prov["received"]
    fixes = [c for c in letter.corrections if c["rule"] == "organ.admin_unit"]
    assert fixes and fixes[0]["before"] == "TUYỀN QUANG" and fixes[0]["after"] == "TUYÊN QUANG"
    assert fixes[0]["line"] == 3


def test_gazetteer_keeps_head_words():
    from vn_officialdoc.grammar import load_grammar

    gz = gazetteer(load_grammar())
    assert gz.organ("SỞ GIÁO DỤC VÀ ĐÀO TẠO") is None          # never read as BỘ ...
    assert gz.organ("BỘ GIÁO màn VÀ ĐÀO TẠO").name == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert gz.place("TUYỀN QUANG").name == "Tuyên Quang"
    assert fold("ĐẢNG ỦY") == "dang uy"
