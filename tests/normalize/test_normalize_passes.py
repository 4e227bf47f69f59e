"""One in/out table per pass (gTTS style): each pass is called on its own, with defaults."""

from __future__ import annotations

import pytest

from truyenthanh.normalize import PASSES
from truyenthanh.normalize.cleanup import punctuation, symbols
from truyenthanh.normalize.codes import document_codes
from truyenthanh.normalize.dates import dates, ordinals, ranges, times
from truyenthanh.normalize.hygiene import (
    brackets,
    clean_symbols,
    fix_encoding,
    list_markers,
    split_glued,
    strip_markup,
    web_addresses,
)
from truyenthanh.normalize.measures import cardinals, money, percent, units
from truyenthanh.normalize.phones import phone_numbers
from truyenthanh.normalize.words import (
    abbreviations,
    capitals,
    letter_codes,
    place_prefixes,
    pronunciations,
    roman_numerals,
)

TABLES = {
    fix_encoding: [
        ("Tuye\u0302n truye\u0302\u0300n", "Tuyên truyền"),  # decomposed (NFD) -> NFC
        ("dòng một\r\ndòng hai\rdòng ba", "dòng một\ndòng hai\ndòng ba"),
        ("Uû ban nh©n d©n huyÖn T©y S¬n", "Uỷ ban nhân dân huyện Tây Sơn"),  # TCVN3
        ("UÛy ban nhaân daân huyeän Taây Sôn", "Ủy ban nhân dân huyện Tây Sơn"),  # VNI
        ("Ủy ban nhân dân huyện", "Ủy ban nhân dân huyện"),
    ],
    strip_markup: [
        ("Xem [cổng dịch vụ công](https://dichvucong.gov.vn) nhé", "Xem cổng dịch vụ công nhé"),
        ("**Khẩn:** mất điện<br/>toàn xã", "Khẩn: mất điện toàn xã"),
        ("A &amp; B", "A & B"),
    ],
    list_markers: [
        ("1. Mục đích: truyền thông", "Mục đích: truyền thông"),
        ("- Tuyên truyền\n  • Đang truy cập20", "Tuyên truyền\nĐang truy cập20"),
        ("a) Nội dung;\nb) Hình thức.", "Nội dung;\nHình thức."),
        ("II. NHIỆM VỤ\n1.2 Chi tiết\n(3) Ba", "NHIỆM VỤ\nChi tiết\nBa"),
        ("2023 là năm cải cách", "2023 là năm cải cách"),
        ("1.250.000 đồng", "1.250.000 đồng"),
        ("-5°C về đêm", "-5°C về đêm"),
    ],
    clean_symbols: [
        ("“Chính quyền số”", "Chính quyền số"),
        ("trực tuyến,…", "trực tuyến,."),
        ("A — B", "A ,  B"),
        ("Đại hội 🎉 thành công ©", "Đại hội   thành công  "),
        ("một\u00a0hai\u200bba\u00adbốn", "một haibabốn"),
        ("Văn hóa – Thông tin", "Văn hóa - Thông tin"),
        ("7h30'", "7h30"),
    ],
    brackets: [
        ("Tỉnh ủy (Khóa XX) về", "Tỉnh ủy , Khóa XX,  về"),
        ("Ủy ban nhân dân (UBND) huyện", "Ủy ban nhân dân  huyện"),
        ("Tel: (0256) 3880277", "Tel: 0256 3880277"),
    ],
    split_glued: [
        ("Đang truy cập20", "Đang truy cập 20"),
        ("Hôm nay4,096", "Hôm nay 4,096"),
        ("diện tích 30m2 và 5km2", "diện tích 30m2 và 5km2"),
        ("Luật số 67/2020/QH14", "Luật số 67/2020/QH14"),
    ],
    web_addresses: [
        ("Truy cập dichvucong.gov.vn để nộp", "Truy cập dichvucong chấm gốp chấm vê en để nộp"),
        ("Gửi về ubnd@tayson.gov.vn.", "Gửi về ubnd a còng tayson chấm gốp chấm vê en."),
        ("https://www.tayson.binhdinh.gov.vn/tin", "vê kép vê kép vê kép chấm tayson chấm binhdinh chấm gốp chấm vê en gạch chéo tin"),
        ("TP.HCM và 1.250.000", "TP.HCM và 1.250.000"),
    ],
    phone_numbers: [
        ("Đường dây nóng: 0256 3 880 277", "Đường dây nóng: không hai năm sáu, ba, tám tám không, hai bảy bảy"),
        ("di động 0913.123.456", "di động không chín một ba, một hai ba, bốn năm sáu"),
        ("tổng đài 1022", "tổng đài một không hai hai"),
        ("hotline 1900 1234", "hotline một chín không không, một hai ba bốn"),
        ("gọi 113 khi có cháy", "gọi một một ba khi có cháy"),
        ("SĐT 0913123456", "SĐT không chín một ba, một hai ba, bốn năm sáu"),
        ("+84 913 123 456", "cộng tám bốn, chín một ba, một hai ba, bốn năm sáu"),
        ("SĐT: 02563.886.123 - Email", "SĐT: không hai năm sáu, ba, tám tám sáu, một hai ba, - Email"),
        ("năm 2023 có 1022 hộ", "năm 2023 có 1022 hộ"),
        ("ĐT 639 qua xã", "ĐT 639 qua xã"),
        ("liên hệ Tổ\nNăm 2024 có 105 hộ", "liên hệ Tổ\nNăm 2024 có 105 hộ"),
        ("gọi điện cho 25 hộ", "gọi điện cho 25 hộ"),
    ],
    pronunciations: [
        ("trên Facebook và các trang Zalo", "trên Phây búc và các trang Da lô"),
        ("phòng chống COVID-19", "phòng chống Cô vít mười chín"),
        ("ZALO hoặc zalo", "Da lô hoặc Da lô"),
        ("tại dichvucong.gov.vn", "tại dịch vụ công.gov.vn"),
        ("Zalopay", "Zalopay"),
        ("Độc lập - Tự do - Hạnh phúc", "Độc lập, Tự do, Hạnh phúc"),
    ],
    place_prefixes: [
        ("H.Tây Sơn, T.Bình Định", "huyện Tây Sơn, tỉnh Bình Định"),
        ("TT.Phú Phong, X.Bình Tân", "thị trấn Phú Phong, xã Bình Tân"),
        ("P.2, Q.1, KP3", "phường 2, quận 1, khu phố 3"),
        ("Nguyễn Văn H. và", "Nguyễn Văn H. và"),
        ("ABC.Def", "ABC.Def"),
    ],
    document_codes: [
        ("Kế hoạch số 20/KH-UBND ngày", "Kế hoạch số hai mươi ngày"),
        ("Nghị quyết số 05-NQ/TU", "Nghị quyết số năm"),
        ("Quyết định 1234/QĐ-UBND", "Quyết định số một nghìn hai trăm ba mươi tư"),
        ("Nghị định 49/2024/NĐ-CP", "Nghị định số bốn mươi chín năm hai nghìn không trăm hai mươi tư"),
        ("Chỉ thị 23/CT-TTg", "Chỉ thị số hai mươi ba"),
        ("Nghị quyết số 76/NQ-CP", "Nghị quyết số bảy mươi sáu"),
        ("Luật số 67/2020/QH14", "Luật số sáu mươi bảy năm hai nghìn không trăm hai mươi"),
        ("giai đoạn 2021-2025", "giai đoạn 2021-2025"),
        ("ngày 06/12/2021", "ngày 06/12/2021"),
    ],
    ordinals: [
        ("lần thứ 2", "lần thứ hai"),
        ("Thứ 6 - 17/02/2023", "Thứ sáu, 17/02/2023"),
        ("thứ 1 và thứ 4", "thứ nhất và thứ tư"),
        ("Thứ sáu - 17/02/2023 09:43", "Thứ sáu, 17/02/2023 09:43"),
        ("Chủ nhật 19/02/2023", "Chủ nhật, 19/02/2023"),
        ("CN, 19/02/2023", "Chủ nhật, 19/02/2023"),
        ("kinh tế - xã hội", "kinh tế - xã hội"),
    ],
    ranges: [
        ("giai đoạn 2021 - 2025", "giai đoạn 2021 đến 2025"),
        ("từ 01/12 – 15/12/2023".replace("–", "-"), "từ 01/12 đến 15/12/2023"),
        ("7h00 - 11h30", "7h00 đến 11h30"),
        ("10-15%", "10 đến 15%"),
        ("100-200mm", "100 đến 200mm"),
        ("2021-2025:", "2021 đến 2025:"),
        ("NPK 16-16-8", "NPK 16-16-8"),
        ("06-12-2021", "06-12-2021"),
        ("COVID-19", "COVID-19"),
    ],
    dates: [
        ("06/12/2021", "ngày sáu tháng mười hai năm hai nghìn không trăm hai mươi mốt"),
        ("ngày 15/7/2021", "ngày mười lăm tháng bảy năm hai nghìn không trăm hai mươi mốt"),
        ("1/1/2024", "ngày một tháng một năm hai nghìn không trăm hai mươi tư"),
        ("30.4.1975", "ngày ba mươi tháng tư năm một nghìn chín trăm bảy mươi lăm"),
        ("17/02/2023 09:43", "ngày mười bảy tháng hai năm hai nghìn không trăm hai mươi ba, chín giờ bốn mươi ba phút"),
        ("tháng 11/2023", "tháng mười một năm hai nghìn không trăm hai mươi ba"),
        ("quý 4/2024", "quý bốn năm hai nghìn không trăm hai mươi tư"),
        ("từ 01/12 đến 15/12/2023", "từ ngày một tháng mười hai đến ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi ba"),
        ("hạn chót 20/11", "hạn chót ngày hai mươi tháng mười một"),
        ("ngày 20 tháng 4 năm 2023", "ngày 20 tháng tư năm 2023"),
        ("tháng 04 và tháng 13", "tháng tư và tháng 13"),
        ("sáng 5/9", "sáng ngày năm tháng chín"),
        ("tỷ lệ 2/3", "tỷ lệ 2/3"),
        ("Quý IV/2023", "Quý bốn năm hai nghìn không trăm hai mươi ba"),
        ("32/13/2023", "32/13/2023"),
    ],
    times: [
        ("17h30", "mười bảy giờ ba mươi phút"),
        ("từ 7h00 đến 11h30", "từ bảy giờ đến mười một giờ ba mươi phút"),
        ("lúc 09:43", "lúc chín giờ bốn mươi ba phút"),
        ("7h", "bảy giờ"),
        ("17g30", "mười bảy giờ ba mươi phút"),
        ("9:05:30", "chín giờ năm phút ba mươi giây"),
        ("tỷ số 25:70", "tỷ số 25:70"),
        ("5 ha", "5 ha"),
    ],
    money: [
        ("50.000đ", "năm mươi nghìn đồng"),
        ("1.250.000 đồng", "một triệu hai trăm năm mươi nghìn đồng"),
        ("2 tỷ VNĐ", "2 tỷ đồng"),
        ("50.000đ/người", "năm mươi nghìn đồng một người"),
        ("300 VND", "ba trăm đồng"),
        ("$5", "năm đô la Mỹ"),
        ("18.000 đồng/kg", "mười tám nghìn đồng một ki lô gam"),
    ],
    percent: [
        ("95,5%", "chín mươi lăm phẩy năm phần trăm"),
        ("đạt 100 %", "đạt một trăm phần trăm"),
        ("8,25%", "tám phẩy hai mươi lăm phần trăm"),
        ("0,03%/ngày", "không phẩy không ba phần trăm một ngày"),
    ],
    units: [
        ("100 m2", "một trăm mét vuông"),
        ("30m²", "ba mươi mét vuông"),
        ("3,5 ha", "ba phẩy năm héc ta"),
        ("3.5 ha", "ba phẩy năm héc ta"),
        ("12 km", "mười hai ki lô mét"),
        ("30°C", "ba mươi độ xê"),
        ("-5°C", "-âm năm độ xê"),
        ("60km/h", "sáu mươi ki lô mét trên giờ"),
        ("500 kg/hộ", "năm trăm ki lô gam một hộ"),
        ("100-200mm", "100-hai trăm mi li mét"),
        ("0,8 x 5 m", "không phẩy tám nhân năm mét"),
        ("5 mét", "5 mét"),
        ("họp lúc 7g sáng, 500g muối", "họp lúc bảy giờ sáng, năm trăm gam muối"),
    ],
    roman_numerals: [
        ("Khóa XX", "Khóa hai mươi"),
        ("Quý IV", "Quý bốn"),
        ("Đại hội XIII", "Đại hội mười ba"),
        ("Thế kỷ XXI", "Thế kỷ hai mươi mốt"),
        ("lần thứ XIII", "lần thứ mười ba"),
        ("lần thứ I", "lần thứ nhất"),
        ("giai đoạn II", "giai đoạn hai"),
        ("hạng C", "hạng C"),
        ("mục I", "mục một"),
    ],
    letter_codes: [
        ("hạng B2", "hạng bê hai"),
        ("cúm H5N1", "cúm hát năm en một"),
        ("mạng 5G", "mạng năm giê"),
        ("QL1A", "quốc lộ một a"),
        ("giống ĐT100", "giống đê tê một trăm"),
        ("12A/34B", "12A/34B"),
        ("2023", "2023"),
    ],
    cardinals: [
        ("năm 2023", "năm  hai nghìn không trăm hai mươi ba "),
        ("05 xã", " năm  xã"),
        ("2/3 số hộ", "hai phần ba số hộ"),
        ("1/4", "một phần tư"),
        ("12/5", "mười hai trên năm"),
        ("số 12A/34B", "số  mười hai A trên  ba mươi tư B"),
        ("v1.2.3", "v một chấm hai chấm ba "),
        ("cách mạng 4.0", "cách mạng  bốn chấm không "),
    ],
    abbreviations: [
        ("UBND huyện", "Ủy ban nhân dân huyện"),
        ("HĐND, MTTQ, TTHC, CCHC", "Hội đồng nhân dân, Mặt trận Tổ quốc, thủ tục hành chính, cải cách hành chính"),
        ("CNTT, BHYT, BHXH, THPT, CSGT", "công nghệ thông tin, bảo hiểm y tế, bảo hiểm xã hội, trung học phổ thông, cảnh sát giao thông"),
        ("TTg, QĐ, NĐ-CP, KH", "Thủ tướng, quyết định, nghị định của Chính phủ, kế hoạch"),
        ("TP.HCM, TP. Quy Nhơn", "Thành phố Hồ Chí Minh, Thành phố Quy Nhơn"),
        ("XUBND", "XUBND"),
        ("V/v tiêm chủng; K/g: Đ/c Chủ tịch", "về việc tiêm chủng; kính gửi: đồng chí Chủ tịch"),
        ("KT. CHỦ TỊCH", "Ký thay CHỦ TỊCH"),
    ],
    capitals: [
        ("LỜI CHÀO MỪNG", "lời chào mừng"),
        ("THỐNG KÊ", "thống kê"),
        ("KHẨN", "khẩn"),
        ("ABCD", " a bê xê dê "),
        ("ông TAM", "ông  tê a em "),
        ("bão NORU, khối ASEAN", "bão noru, khối asean"),
        ("vốn ODA, thuế VAT", "vốn  o dê a , thuế  vê a tê "),
        ("VNeID", " vê en e i dê "),
        ("vitamin C", "vitamin xê"),
        ("Nguyễn Văn A", "Nguyễn Văn A"),
        ("Nguyễn Văn H. và", "Nguyễn Văn hát và"),
        ("hạng C.", "hạng xê."),
    ],
    symbols: [
        ("xã/phường", "xã hoặc phường"),
        ("triệu đồng/người/tháng", "triệu đồng một người một tháng"),
        ("PHÒNG A / PHÒNG B", "PHÒNG A ,  PHÒNG B"),
        ("và/hoặc", "và hoặc"),
        ("kinh tế - xã hội", "kinh tế   xã hội"),
        ("A & B", "A  và  B"),
        ("giá ~ 5", "giá  khoảng  5"),
        ("a_b #", "a b  "),
        ("x² ½ ①", "x   một phần hai   "),
    ],
    punctuation: [
        ("Tỉnh ủy,  khóa hai mươi,  về", "Tỉnh ủy, khóa hai mươi, về"),
        ("nếu có, ;", "nếu có;"),
        ("trực tuyến,.", "trực tuyến."),
        ("a ,b", "a, b"),
        (", Mở đầu", "Mở đầu"),
        ("  một  \n  hai  ", "một\nhai"),
    ],
}


def _cases():
    for fn, rows in TABLES.items():
        for given, expected in rows:
            yield pytest.param(fn, given, expected, id=f"{fn.__name__}:{given[:30]}")


@pytest.mark.parametrize("fn, given, expected", list(_cases()))
def test_pass_table(fn, given, expected):
    assert fn(given) == expected


def test_every_pass_has_a_table_and_a_docstring():
    for fn in PASSES:
        assert fn in TABLES, f"{fn.__name__} has no table test"
        assert fn.__doc__ and fn.__doc__.strip(), f"{fn.__name__} has no docstring"


def test_passes_never_change_the_number_of_lines():
    text = "Dòng 1/2\n\n- 2021 - 2025\n  • 17/02/2023 09:43 (UBND)\nTHỐNG KÊ\n"
    for fn in PASSES:
        assert fn(text).count("\n") == text.count("\n"), fn.__name__
