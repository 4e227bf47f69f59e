"""One in/out table per pass (gTTS style): each pass is called on its own, with defaults."""

from __future__ import annotations

import pytest

from truyenthanh.normalize import PASSES
from truyenthanh.normalize.cleanup import punctuation, symbols
from truyenthanh.normalize.codes import document_codes
from truyenthanh.normalize.dates import dates, ordinals, ranges, times
from truyenthanh.normalize.headings import headings
from truyenthanh.normalize.hygiene import (
    brackets,
    clean_symbols,
    file_types,
    fix_encoding,
    list_markers,
    split_glued,
    strip_markup,
    web_addresses,
)
from truyenthanh.normalize.identifiers import identifiers, roads
from truyenthanh.normalize.measures import cardinals, money, percent, units
from truyenthanh.normalize.phones import phone_numbers
from truyenthanh.normalize.words import (
    abbreviations,
    capitals,
    initials,
    letter_codes,
    place_prefixes,
    pronunciations,
    roman_numerals,
)

TABLES = {
    headings: [
        ("VỀ CA BỆNH SỐT XUẤT HUYẾT", "về ca bệnh sốt xuất huyết"),
        ("LỊCH TIẾP CÔNG DÂN THÁNG 12/2025", "lịch tiếp công dân tháng 12/2025"),
        ("CÔ TO ĐI BAN", "cô to đi ban"),
        ("ỦY BAN NHÂN DÂN HUYỆN - UBND", "ủy ban nhân dân huyện - UBND"),
        ("MỤC IV. THỐNG KÊ; VI PHẠM", "mục IV. thống kê; vi phạm"),
        ("Văn nghệ MỪNG ĐẢNG - MỪNG XUÂN tại sân", "Văn nghệ mừng đảng - mừng xuân tại sân"),
        ("Công an (CA) và BHYT", "Công an (CA) và BHYT"),
    ],
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
        ("1. Mục đích: truyền thông", "một, Mục đích: truyền thông"),
        ("- Tuyên truyền\n  • Đang truy cập20", "Tuyên truyền\nĐang truy cập20"),
        ("a) Nội dung;\nb) Hình thức.", "Nội dung;\nHình thức."),
        ("II. NHIỆM VỤ\n1.2 Chi tiết\n(3) Ba", "hai, NHIỆM VỤ\nmột chấm hai, Chi tiết\nba, Ba"),
        ("12. Lý do thu hồi", "mười hai, Lý do thu hồi"),
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
        ("Học sinh, sinh viên (HS, SV) vùng khó khăn", "Học sinh, sinh viên  vùng khó khăn"),
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
        (
            "Đăng ký tiêm trên trang dangkytiem.vn nhé",
            "Đăng ký tiêm trên trang đăng ký tiêm chấm vê en nhé",
        ),
        (
            "Tiếp công dân xã Bình Tân: tiepcongdan.binhtan@gialai.gov.vn",
            "Tiếp công dân xã Bình Tân: tiếp công dân chấm Bình Tân a còng gia lai chấm gốp chấm vê en",
        ),
        ("tra cứu tại cskh.evncpc.vn", "tra cứu tại xê ét ca hát chấm e vê en xê pê xê chấm vê en"),
        (
            "Lại gặp ở gialai.gov.vn",
            "Lại gặp ở gia lai chấm gốp chấm vê en",
        ),  # one word alone is no clue
        ("Truy cập dichvucong.gov.vn để nộp", "Truy cập dịch vụ công chấm gốp chấm vê en để nộp"),
        ("Gửi về ubnd@tayson.gov.vn.", "Gửi về u bê en dê a còng tay son chấm gốp chấm vê en."),
        (
            "https://www.tayson.binhdinh.gov.vn/tin",
            "vê kép vê kép vê kép chấm tay son chấm binh dinh chấm gốp chấm vê en gạch chéo tin",
        ),
        ("TP.HCM và 1.250.000", "TP.HCM và 1.250.000"),
    ],
    file_types: [
        (
            "dạng tệp .pdf, .jpg hoặc .docx, không",
            "dạng tệp  chấm pê đê ép,  chấm giây pê gờ hoặc  chấm đốc ích, không",
        ),
        ("Mẫu số 1.DOCX", "Mẫu số 1 chấm đốc ích"),
        ("Nguyễn Văn A. Docx", "Nguyễn Văn A. Docx"),
        ("v.v. và 1.250.000", "v.v. và 1.250.000"),
    ],
    identifiers: [
        ("chủ tàu BĐ 92345-TS liên lạc", "chủ tàu bê đê, chín hai, ba bốn năm, tê ét liên lạc"),
        ("xe biển số 77C-125.68 vào", "xe biển số bảy bảy xê, một hai năm, sáu tám vào"),
        ("xe 51F-12345 đỗ", "xe năm một ép, một hai, ba bốn năm đỗ"),
        ("mã bưu chính 591500.", "mã bưu chính năm chín một, năm không không."),
        (
            "số tài khoản: 0071000123456",
            "số tài khoản: không không bảy một, không không không, một hai ba, bốn năm sáu",
        ),
        (
            "mã hồ sơ G22.105-251201-0015.",
            "mã hồ sơ giê hai hai chấm một không năm, hai năm một, hai không một, không không một năm.",
        ),
        ("phạt 50.000.000-75.000.000 đồng", "phạt 50.000.000-75.000.000 đồng"),
        ("Kế hoạch số 20/KH-UBND", "Kế hoạch số 20/KH-UBND"),
        ("có 591500 người", "có 591500 người"),
    ],
    roads: [
        ("mở rộng tuyến ĐT.637 đoạn", "mở rộng tuyến đường tỉnh sáu trăm ba mươi bảy đoạn"),
        ("mở rộng đường ĐT.637", "mở rộng đường tỉnh sáu trăm ba mươi bảy"),
        ("dọc QL 19 và QL.1A", "dọc quốc lộ mười chín và quốc lộ một a"),
        (
            "từ Km 5+200 đến Km9+850",
            "từ ki lô mét năm cộng hai trăm đến ki lô mét chín cộng tám trăm năm mươi",
        ),
        ("ĐT: 0269 3 880 277", "ĐT: 0269 3 880 277"),
        ("giống ĐT100", "giống ĐT100"),
    ],
    initials: [
        ("(BN Đ.T.L., nữ, 34 tuổi)", "(BN đê tê e lờ, nữ, 34 tuổi)"),
        ("ông T.V.N. Hôm nay", "ông tê vê en. Hôm nay"),
        ("Đại úy Phạm V. Tâm, Chỉ huy trưởng", "Đại úy Phạm vê Tâm, Chỉ huy trưởng"),
        ("kỹ sư Đặng V.Quang, SĐT", "kỹ sư Đặng vê Quang, SĐT"),
        ("ông Lê T. Nam", "ông Lê tê Nam"),
        ("H.Tây Sơn, T.Bình Định, TP.HCM, P.2", "H.Tây Sơn, T.Bình Định, TP.HCM, P.2"),
    ],
    phone_numbers: [
        ("gọi 113, 114 hoặc 115.", "gọi một một ba, một một bốn hoặc một một năm."),
        ("gọi cấp cứu 115 ngay", "gọi cấp cứu một một năm ngay"),
        ("gọi 0913.123.456, 20 người", "gọi không chín một ba, một hai ba, bốn năm sáu, 20 người"),
        ("có 113, 114 người", "có 113, 114 người"),
        (
            "Đường dây nóng: 0256 3 880 277",
            "Đường dây nóng: không hai năm sáu, ba, tám tám không, hai bảy bảy",
        ),
        ("di động 0913.123.456", "di động không chín một ba, một hai ba, bốn năm sáu"),
        ("tổng đài 1022", "tổng đài một không hai hai"),
        ("hotline 1900 1234", "hotline một chín không không, một hai ba bốn"),
        ("gọi 113 khi có cháy", "gọi một một ba khi có cháy"),
        ("SĐT 0913123456", "SĐT không chín một ba, một hai ba, bốn năm sáu"),
        ("+84 913 123 456", "cộng tám bốn, chín một ba, một hai ba, bốn năm sáu"),
        (
            "SĐT: 02563.886.123 - Email",
            "SĐT: không hai năm sáu, ba, tám tám sáu, một hai ba, - Email",
        ),
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
        (
            "Nghị định 49/2024/NĐ-CP",
            "Nghị định số bốn mươi chín năm hai nghìn không trăm hai mươi tư",
        ),
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
        ("chiều thứ 3, ngày 23-12, từ", "chiều thứ 3, ngày 23/12, từ"),
        ("Đêm 31-12 âm lịch", "Đêm 31/12 âm lịch"),
        ("từ ngày 10-12 tháng này", "từ ngày 10 đến 12 tháng này"),
        ("trong 5-7 ngày", "trong 5 đến 7 ngày"),
        ("thắng với tỉ số 3-1.", "thắng với tỉ số 3, 1."),
        ("sóng cao 4,0-6,0 m", "sóng cao 4 đến 6 m"),
        ("bón 5kg-10kg vôi", "bón 5kg đến 10kg vôi"),
        ("giá 20$-30$", "giá 20$ đến 30$"),
        ("máy 250kVA - 22/0,4kV", "máy 250kVA, 22/0,4kV"),
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
        ("khai giảng sáng mùng 5/9.", "khai giảng sáng mùng năm tháng chín."),
        ("tháng 12/2025", "tháng mười hai năm hai nghìn không trăm hai mươi lăm"),
        ("06/12/2021", "ngày sáu tháng mười hai năm hai nghìn không trăm hai mươi mốt"),
        ("ngày 15/7/2021", "ngày mười lăm tháng bảy năm hai nghìn không trăm hai mươi mốt"),
        ("1/1/2024", "ngày một tháng một năm hai nghìn không trăm hai mươi tư"),
        ("30.4.1975", "ngày ba mươi tháng tư năm một nghìn chín trăm bảy mươi lăm"),
        (
            "17/02/2023 09:43",
            "ngày mười bảy tháng hai năm hai nghìn không trăm hai mươi ba, chín giờ bốn mươi ba phút",
        ),
        ("tháng 11/2023", "tháng mười một năm hai nghìn không trăm hai mươi ba"),
        ("quý 4/2024", "quý bốn năm hai nghìn không trăm hai mươi tư"),
        (
            "từ 01/12 đến 15/12/2023",
            "từ ngày một tháng mười hai đến ngày mười lăm tháng mười hai năm hai nghìn không trăm hai mươi ba",
        ),
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
        ("lệ phí 100.000₫/lần", "lệ phí một trăm nghìn đồng một lần"),
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
        ("máy biến áp 22/0,4kV", "máy biến áp hai mươi hai trên không phẩy bốn ki lô vôn"),
        ("62,5 tạ/ha và 3.000 con/m2", "62,5 tạ trên héc ta và 3.000 con trên mét vuông"),
        ("đạt 24,6 triệu kWh", "đạt 24,6 triệu ki lô oát giờ"),
        (
            "250 kVA, 35KV, 5 Gb",
            "hai trăm năm mươi ki lô vôn am pe, ba mươi lăm ki lô vôn, năm ghi ga bai",
        ),
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
        ("lên mức báo động II 20 cm", "lên mức báo động hai, 20 cm"),
        ("trên báo động I.", "trên báo động một."),
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
        ("giải quyết 12/14 đơn", "giải quyết mười hai trên mười bốn đơn"),
        ("1/3 số hộ", "một phần ba số hộ"),
        (
            "tỷ lệ 1:0,5:0,7 và 1:500",
            "tỷ lệ một, không phẩy năm, không phẩy bảy và một trên năm trăm",
        ),
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
        ("trụ sở HĐND - UBND xã", "trụ sở Hội đồng nhân dân và Ủy ban nhân dân xã"),
        (
            "Ban Chỉ huy PTDS, BN, HS, TBA, LMLM",
            "Ban Chỉ huy phòng thủ dân sự, bệnh nhân, học sinh, trạm biến áp, lở mồm long móng",
        ),
        ("KT - XH", "KT - XH"),
        ("UBND huyện", "Ủy ban nhân dân huyện"),
        (
            "HĐND, MTTQ, TTHC, CCHC",
            "Hội đồng nhân dân, Mặt trận Tổ quốc, thủ tục hành chính, cải cách hành chính",
        ),
        (
            "CNTT, BHYT, BHXH, THPT, CSGT",
            "công nghệ thông tin, bảo hiểm y tế, bảo hiểm xã hội, trung học phổ thông, cảnh sát giao thông",
        ),
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
        (
            "một trăm mười hai bé trai/một trăm bé gái",
            "một trăm mười hai bé trai trên một trăm bé gái",
        ),
        ("ba mươi lăm học sinh/lớp", "ba mươi lăm học sinh một lớp"),
        ("các tỉnh Quảng Ngãi - Gia Lai - Đắk Lắk", "các tỉnh Quảng Ngãi, Gia Lai, Đắk Lắk"),
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hóa   Xã hội"),
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
