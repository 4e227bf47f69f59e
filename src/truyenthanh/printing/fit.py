"""Fitting type into boxes: slogans (largest size, phrase-aware breaks) and titles.

Widths are exact (`stringWidth` scales linearly with size); heights use the real
ink of the glyphs on each line (`Face.ink`), so a line of capitals with stacked
accents ("ỦY BAN", "HIỆN ĐẠI") gets the room it really needs and the block is
centred on its ink, not on a nominal em box.

Where a slogan may break:
- an author's mark (" | " or a newline) always breaks;
- never inside a known multi-syllable word ("cải cách", "Ủy ban", "hành chính",
  "trực tuyến"…) nor inside a run of capitalised syllables (a proper name such
  as "Tây Sơn"), nor before a dash or punctuation;
- cheapest after punctuation or a dash, then before a linking word ("vì", "để",
  "và"…), dearest between two ordinary syllables.
Among the allowed breakings the one with the largest type wins, discounted for
dear breaks and unbalanced lines.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from truyenthanh.errors import PrintError

if TYPE_CHECKING:
    from truyenthanh.printing.fonts import Face

T = TypeVar("T")
NBSP = "\u00a0"

# Groups that must never break across lines: phone numbers ("0256 3880 277"),
# year ranges ("2021 - 2025") and a number after "số"/"ngày" ("số 20/KH-UBND").
# Their inner spaces become no-break spaces, which every word splitter here
# keeps inside one word (Python's str.split() would not: it splits at U+00A0).
_GROUPS = (
    re.compile(
        r"(?<![\w/.,])(?:(?:\+84|0)\d{1,4}|1[89]00)(?: \d{2,4}){1,3}(?![\w/])"
    ),  # 1800/1900: toll-free
    re.compile(r"(?<![\w/])\d{1,4} [-–] \d{1,4}(?![\w/])"),
    re.compile(r"(?<!\w)(?:[Ss]ố|[Nn]gày|[Tt]háng|[Nn]ăm) (?=\d)"),
)
_SPLIT = re.compile(r"[ \t\n\r\f\v]+")


def bind_groups(text: str) -> str:
    """`text` with the spaces inside numbers, phone numbers and dates made unbreakable."""
    for pattern in _GROUPS:
        text = pattern.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return text


def split_words(text: str) -> list[str]:
    """Words of `text` for line breaking: ordinary spaces separate, no-break spaces bind."""
    return [w for w in _SPLIT.split(bind_groups(text)) if w]


@dataclass(frozen=True)
class Fitted(Generic[T]):
    """The result of `largest`: the size chosen, what it made, and every size tried."""

    size: float
    result: T | None  # None when not even the smallest size fits
    tries: tuple[tuple[float, bool], ...]  # (size, fitted) in the order measured

    @property
    def fits(self) -> bool:
        return self.result is not None


def largest(
    attempt: Callable[[float], T | None], low: float, high: float, step: float = 0.05
) -> Fitted[T]:
    """The largest size in [low, high] (to `step`) for which `attempt` gives a result, not None.

    The one fitting search of every print layout: `attempt(size)` lays out at
    `size` and returns the layout when it fits, else None. Fitting is assumed
    monotonic (smaller never fits worse). When even `low` does not fit, the
    result is None and the caller decides what that means (an error, or another
    layout) — text never silently disappears here.
    """
    tries: list[tuple[float, bool]] = []

    def probe(size: float):
        res = attempt(size)
        tries.append((round(size, 3), res is not None))
        return res

    best = probe(high)
    if best is not None:
        return Fitted(high, best, tuple(tries))
    best = probe(low)
    if best is None:
        return Fitted(low, None, tuple(tries))
    lo, hi = low, high
    while hi - lo > step:
        mid = (lo + hi) / 2
        res = probe(mid)
        if res is not None:
            lo, best = mid, res
        else:
            hi = mid
    stable = math.floor(lo / step) * step  # a stable, printable size
    if stable < lo - 1e-9 and stable >= low:
        res = probe(stable)
        if res is not None:
            lo, best = stable, res
    return Fitted(lo, best, tuple(tries))


AUTHOR_BREAK = re.compile(r"\s*\|\s*|\s*\n\s*")
PUNCT_END = tuple(",;:.!?")
DASHES = {"-", "–", "—"}
LINE_GAP_EM = 0.2  # ink-to-ink gap between slogan lines
MAX_LINES = 6

# Old-style tone placement folded to the new style, so "uỷ ban" matches "ủy ban".
_OLD_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}

COMPOUNDS_TEXT = """
cải cách; hành chính; cải cách hành chính; thủ tục; thủ tục hành chính; ủy ban; ủy ban nhân dân;
nhân dân; hội đồng; hội đồng nhân dân; trực tuyến; dịch vụ; dịch vụ công; dịch vụ công trực tuyến;
điện tử; chính quyền; chính quyền điện tử; chính quyền số; chuyển đổi; chuyển đổi số; công nghệ;
công nghệ số; công nghệ thông tin; thông tin; tuyên truyền; người dân; công dân; doanh nghiệp;
nhà nước; xã hội; kinh tế; phát triển; hiện đại; xây dựng; văn hóa; văn minh; an toàn; giao thông;
phòng chống; phòng cháy; chữa cháy; sức khỏe; bảo vệ; môi trường; hài lòng; phục vụ; trách nhiệm;
nhiệm vụ; hiệu quả; minh bạch; công khai; tổ chức; cán bộ; công chức; viên chức; một cửa;
một cửa liên thông; liên thông; thanh toán; hồ sơ; đô thị; nông thôn; nông thôn mới; việt nam;
hồ chí minh; tổ quốc; đoàn kết; thi đua; kỷ cương; kỷ luật; pháp luật; chấp hành; tham gia; góp ý;
giám sát; đẩy mạnh; nâng cao; tăng cường; thực hiện; ứng dụng; cộng đồng; gia đình; trẻ em;
học sinh; bầu cử; đại biểu; quốc hội; thiên tai; bão lũ; dịch bệnh; tiêm chủng; vắc xin; khẩn cấp;
sơ tán; chủ động; kịp thời; đầy đủ; thường xuyên; liêm chính; hành động; sáng tạo; kiến tạo;
đồng lòng; chung tay; đời sống; hạnh phúc; ấm no; bình đẳng; dân chủ; công bằng; mặt trận;
đoàn thanh niên; thanh niên; phụ nữ; cựu chiến binh; nông dân; đảng bộ; chi bộ; đại hội;
nhiệt liệt; chào mừng; mừng xuân; mừng đảng; quyết tâm; hoàn thành; thắng lợi; mục tiêu; kế hoạch;
chương trình; chính sách; chủ trương; đường lối; quốc gia; địa phương; cơ sở; khu dân cư;
tổ dân phố; thị trấn; bộ phận; tiếp nhận; trả kết quả; căn cước; định danh; tài khoản;
đồng hành; hưởng ứng; tiết kiệm; thời gian; chi phí; sử dụng; hướng dẫn; giải quyết; phản ánh;
kiến nghị; an ninh; trật tự; nông nghiệp; đổi mới; tích cực; trân trọng; hiến máu; nhân đạo;
vệ sinh; an toàn thực phẩm; thực phẩm; ma túy; tệ nạn; bạo lực; bình đẳng giới; dân số;
bảo hiểm; bảo hiểm y tế; bảo hiểm xã hội; y tế; giáo dục; học tập; khuyến học; lao động;
việc làm; thanh thiếu niên; trực tiếp; thông báo; tạm ngừng; sự cố; mất điện; khí tượng; thủy văn; quốc phòng; nghĩa vụ; nghĩa vụ quân sự; đường dây nóng;
""".replace("\n", " ")
COMPOUNDS: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split()) for c in (s.strip() for s in COMPOUNDS_TEXT.split(";")) if c
)
LINK_WORDS = {
    "vì",
    "để",
    "và",
    "của",
    "cho",
    "với",
    "là",
    "trong",
    "nhằm",
    "góp",
    "hướng",
    "theo",
    "tại",
    "trên",
}

PENALTY_PUNCT = 0.0
PENALTY_LINK = 1.0
PENALTY_PLAIN = 3.0


def fold(word: str) -> str:
    """Comparison key of one syllable: lower case, bare of punctuation, new-style tones."""
    w = unicodedata.normalize("NFC", word).lower().strip(".,;:!?\"“”'‘’()[]«»…")
    for old, new in _OLD_TONES.items():
        w = w.replace(old, new)
    return w


@dataclass(frozen=True)
class SloganFit:
    lines: tuple[str, ...]
    size: float  # font size in drawing units
    baselines: tuple[float, ...]  # offsets from the box top, downwards, to each baseline
    widths: tuple[float, ...]
    cap_height: float  # letter height in drawing units
    block_h: float  # ink height of all lines, gaps included
    top_pad: float  # space above the ink inside the box (the block is centred)

    def draw(self, c, face_name: str, center_x: float, top: float, ink_top: bool = False) -> None:
        """Centre each line on center_x; `top` is the box top (or the ink top when ink_top)."""
        c.setFont(face_name, self.size)
        shift = self.top_pad if ink_top else 0.0
        for line, baseline in zip(self.lines, self.baselines):
            c.drawCentredString(center_x, top - baseline + shift, line)


def break_costs(words: list[str], capitalised_names: bool = True) -> list[float | None]:
    """Cost of a break after words[i] (None = forbidden), for i in 0..len-2."""
    n = len(words)
    keys = [fold(w) for w in words]
    forbidden = [False] * max(n - 1, 0)
    for i in range(n):
        for comp in COMPOUNDS:
            k = len(comp)
            if (
                k > 1
                and tuple(keys[i : i + k]) == comp
                and not any(words[j].endswith(PUNCT_END) for j in range(i, i + k - 1))
            ):
                for j in range(i, i + k - 1):
                    forbidden[j] = True
    titled = sum(1 for w in words if _is_title(w))
    if capitalised_names and titled * 2 < n:
        for i in range(n - 1):
            a, b = words[i], words[i + 1]
            if _is_title(a) and _is_title(b) and not a.endswith(PUNCT_END):
                forbidden[i] = True
    costs: list[float | None] = []
    for i in range(n - 1):
        nxt = words[i + 1]
        if forbidden[i] or nxt in DASHES or nxt[:1] in PUNCT_END:
            costs.append(None)
        elif words[i].endswith(PUNCT_END) or words[i] in DASHES:
            costs.append(PENALTY_PUNCT)
        elif keys[i + 1] in LINK_WORDS:
            costs.append(PENALTY_LINK)
        else:
            costs.append(PENALTY_PLAIN)
    return costs


def _is_title(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return (
        bool(letters)
        and letters[0].isupper()
        and not all(ch.isupper() for ch in letters[1:] or ["a"])
    )


def slogan_segments(slogan: str) -> list[list[str]]:
    """Split at author marks, then into syllables."""
    parts = [p.strip() for p in AUTHOR_BREAK.split(slogan)]
    return [split_words(p) for p in parts if p]


def fit_slogan(
    slogan: str,
    face: Face,
    box_w: float,
    box_h: float,
    min_cap: float = 0.0,
    uppercase: bool = True,
    what: str = "khẩu hiệu",
    units_per_mm: float = 72.0 / 25.4,
    max_size: float | None = None,
    line_gap: float = LINE_GAP_EM,
) -> SloganFit:
    """The largest setting of `slogan` inside box_w × box_h (drawing units).

    Raises PrintError when even the best setting has letters shorter than `min_cap`.
    """
    segments = slogan_segments(slogan)
    if not segments:
        raise PrintError(f"{what.capitalize()} trống, không có gì để in.")
    mixed_case = any(ch.islower() for ch in slogan)
    seg_costs = [break_costs(seg, capitalised_names=mixed_case) for seg in segments]
    if uppercase:
        segments = [[w.upper() for w in seg] for seg in segments]
    space = face.width(" ", 1.0)
    metrics = [[(face.width(w, 1.0), *face.ink(w)) for w in seg] for seg in segments]
    cap = max_size or float("inf")

    def measure(ranges):
        widths, inks = [], []
        for si, a, b in ranges:
            ws = metrics[si][a:b]
            widths.append(sum(m[0] for m in ws) + space * (b - a - 1))
            inks.append((min(m[1] for m in ws), max(m[2] for m in ws)))
        ink_h = sum(hi - lo for lo, hi in inks) + line_gap * (len(ranges) - 1)
        return min(box_w / max(widths), box_h / ink_h, cap), widths

    best: tuple[float, list] | None = None
    biggest: tuple[float, list] | None = None
    for ranges, penalty in _candidates(segments, seg_costs):
        size, widths = measure(ranges)
        if biggest is None or size > biggest[0]:
            biggest = (size, ranges)
        if face.cap_height * size + 1e-9 < min_cap:
            continue
        balance = min(widths) / max(widths) if max(widths) > 0 else 1.0
        score = size * (1.0 - 0.05 * penalty) * (0.92 + 0.08 * balance)
        if best is None or score > best[0] + 1e-9:
            best = (score, ranges)
    if best is None:
        assert biggest is not None
        raise PrintError(
            f"{what.capitalize()} “{slogan}” quá dài cho khổ này: chữ in hoa lớn nhất đặt vừa chỉ cao "
            f"{face.cap_height * biggest[0] / units_per_mm:.0f} mm, thấp hơn mức tối thiểu "
            f"{min_cap / units_per_mm:.0f} mm. "
            "Hãy rút gọn khẩu hiệu, đánh dấu chỗ xuống dòng bằng “ | ”, hoặc chọn băng rôn lớn hơn."
        )
    lines = [" ".join(segments[si][a:b]) for si, a, b in best[1]]
    return _set(lines, face, box_w, box_h, max_size, line_gap)


MAX_CANDIDATES = 20000


def _candidates(segments: list[list[str]], seg_costs: list[list[float | None]]):
    """Allowed ways to break each segment into lines, as (segment, start, end) word ranges."""
    per_segment = []
    for si, (words, costs) in enumerate(zip(segments, seg_costs)):
        allowed = [i for i, c in enumerate(costs) if c is not None]
        options = []
        total = 0
        for k in range(min(len(allowed), MAX_LINES - 1) + 1):
            total += math.comb(len(allowed), k)
            if k > 1 and total > MAX_CANDIDATES:
                break  # a very long text: more lines than this will not be the largest setting anyway
            for cut in itertools.combinations(allowed, k):
                bounds = [0, *(i + 1 for i in cut), len(words)]
                ranges = [(si, a, b) for a, b in zip(bounds, bounds[1:])]
                penalty = sum(costs[i] or 0.0 for i in cut)
                penalty += sum(1.0 for _, a, b in ranges if b - a == 1 and len(words) > 1)
                options.append((ranges, penalty))
        per_segment.append(options)
    for combo in itertools.product(*per_segment):
        ranges = [r for opt in combo for r in opt[0]]
        if len(ranges) <= MAX_LINES:
            yield ranges, sum(opt[1] for opt in combo)


def _set(
    lines: list[str], face: Face, box_w: float, box_h: float, max_size: float | None, gap: float
) -> SloganFit:
    widths1 = [face.width(ln, 1.0) for ln in lines]
    inks = [face.ink(ln) for ln in lines]
    ink_h = sum(hi - lo for lo, hi in inks) + gap * (len(lines) - 1)
    size = min(box_w / max(widths1), box_h / ink_h, max_size or float("inf"))
    block = ink_h * size
    top = (box_h - block) / 2
    baselines, y = [], top
    for lo, hi in inks:
        baselines.append(y + hi * size)
        y += (hi - lo + gap) * size
    return SloganFit(
        lines=tuple(lines),
        size=size,
        baselines=tuple(baselines),
        widths=tuple(w * size for w in widths1),
        cap_height=face.cap_height * size,
        block_h=block,
        top_pad=top,
    )


def wrap(text: str, face: Face, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line (a URL) is cut between characters."""
    lines: list[str] = []
    current = ""
    for word in split_words(text):
        trial = f"{current} {word}" if current else word
        if face.width(trial, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while face.width(word, size) > width and len(word) > 1:
            cut = max(1, _fit_chars(word, face, size, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _fit_chars(word: str, face: Face, size: float, width: float) -> int:
    """How many leading characters of an over-long word (a URL) fit the width."""
    n = 1
    while n < len(word) and face.width(word[: n + 1], size) <= width:
        n += 1
    return n


def fit_wrapped(
    text: str,
    face: Face,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    leading: float = 1.15,
) -> tuple[float, list[str]]:
    """Largest size in [min_size, max_size] at which `text` wrapped to `width` fits `height`.

    Raises PrintError when it does not fit even at min_size: a block of text is
    never cut to fit.
    """

    def attempt(size: float) -> list[str] | None:
        lines = wrap(text, face, size, width)
        return lines if len(lines) * size * leading <= height + 1e-6 else None

    fitted = largest(attempt, min_size, max_size)
    if fitted.result is None:
        raise PrintError(
            f"Đoạn “{text[:60]}…” không đặt vừa ô {width / (72 / 25.4):.0f} × {height / (72 / 25.4):.0f} mm "
            f"ngay cả ở cỡ chữ {min_size:g} pt; hãy rút gọn."
        )
    return fitted.size, fitted.result
