"""Fonts for print: resolve the family, register it with reportlab, measure real ink.

Be Vietnam Pro (static TTFs from `fontpkg-be-vietnam-pro`) is the default; the
setting `print.font` may name another installed fontpkg family, a TTF file, or a
path prefix such as `/fonts/NotoSerif` (meaning `/fonts/NotoSerif-Regular.ttf`,
`-Bold.ttf`, `-ExtraBold.ttf`). Heights are measured from the glyph bounding
boxes in the `glyf` table, because stacked Vietnamese accents ("Ễ", "Ẫ") reach
about 1.15 em, well above the ascent a layout would otherwise assume.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from truyenthanh.errors import PrintError

log = logging.getLogger(__name__)

STOCK_NAMES = {"bevietnampro", "be-vietnam-pro", "be vietnam pro"}
# role -> file style suffixes tried in order (the first that exists wins)
ROLE_STYLES: dict[str, tuple[str, ...]] = {
    "regular": ("Regular",),
    "bold": ("Bold", "SemiBold", "Regular"),
    "heavy": ("ExtraBold", "Black", "Bold", "Regular"),
}
ROLE_WEIGHTS: dict[str, tuple[int, ...]] = {
    "regular": (400,),
    "bold": (700, 600, 400),
    "heavy": (800, 900, 700, 400),
}
_SPACE_LIKE = re.compile(r"[^\S\n]+")


@functools.lru_cache(maxsize=8192)  # an operator script cleans every notice's lines (~80 each)
def clean_text(text: str) -> str:
    """NFC, drop invisible format/control characters, fold odd spaces into one space.

    Newlines survive (they are paragraph or author break marks); everything that
    would be printed must then be covered by the font.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\n" or ch == "\t":
            kept.append(" " if ch == "\t" else ch)
        elif cat in ("Cc", "Cf"):
            continue
        else:
            kept.append(ch)
    lines = [_SPACE_LIKE.sub(" ", line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Face:
    """One registered TTF: its reportlab name and real glyph metrics (in em)."""

    name: str
    path: str
    cap_height: float  # em
    ascent: float  # em (typographic)
    descent: float  # em, negative

    @property
    def _ttf(self) -> TTFont:
        return pdfmetrics.getFont(self.name)

    def width(self, text: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, self.name, size)

    def missing(self, text: str) -> list[str]:
        cmap = self._ttf.face.charToGlyph
        return sorted(ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap)

    def ink(self, text: str) -> tuple[float, float]:
        """(lowest, highest) ink of `text` in em, from the glyph bounding boxes."""
        boxes = _glyph_boxes(self.name)
        lo, hi = 0.0, 0.0
        for ch in text:
            box = boxes.get(ord(ch))
            if box is not None:
                lo = min(lo, box[0])
                hi = max(hi, box[1])
        return lo, hi


@dataclass(frozen=True)
class FontSet:
    family: str
    regular: Face
    bold: Face
    heavy: Face

    @property
    def faces(self) -> tuple[Face, ...]:
        return (self.regular, self.bold, self.heavy)

    def require(self, texts: list[str] | tuple[str, ...], what: str) -> None:
        """PrintError naming every character of `texts` that some face lacks."""
        joined = "".join(texts)
        missing: set[str] = set()
        for face in {f.name: f for f in self.faces}.values():
            missing.update(face.missing(joined))
        if missing:
            listed = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in sorted(missing))
            raise PrintError(
                f"Phông chữ “{self.family}” không có {len(missing)} ký tự cần in trong {what}: {listed}. "
                "Hãy sửa văn bản hoặc chọn phông chữ khác có đủ ký tự (mục print.font)."
            )


def font_files(spec: str) -> dict[str, Path]:
    """role → file of the family named by `PrintSettings.font`, without loading it into reportlab
    (the e-screens draw with Pillow: registering three faces cost the build's main process
    ~50 ms before its first slide)."""
    return _resolve(spec.strip())[1]


def load_fonts(spec: str) -> FontSet:
    """Resolve and register the family named by `PrintSettings.font` (cached per process)."""
    return _load_fonts(spec.strip())


@functools.lru_cache(maxsize=8)
def _load_fonts(spec: str) -> FontSet:
    family, paths = _resolve(spec)
    faces = {role: _register(path) for role, path in paths.items()}
    return FontSet(
        family=family, regular=faces["regular"], bold=faces["bold"], heavy=faces["heavy"]
    )


def _resolve(spec: str) -> tuple[str, dict[str, Path]]:
    if spec.lower() in STOCK_NAMES:
        return _stock()
    as_path = Path(spec).expanduser()
    if (
        as_path.suffix.lower() in (".ttf", ".otf")
        or as_path.parent != Path(".")
        or as_path.is_dir()
    ):
        return _from_path(spec, as_path)
    return _from_fontpkg(spec)


def _stock() -> tuple[str, dict[str, Path]]:
    try:
        import fontpkg_be_vietnam_pro as pkg
    except ImportError:
        raise PrintError(
            "Thiếu gói phông chữ “fontpkg-be-vietnam-pro”; hãy cài lại dự án (pip install -e .)."
        ) from None
    files = Path(pkg.ROOT) / "files"
    return "Be Vietnam Pro", {
        role: _first(files, "BeVietnamPro", styles) for role, styles in ROLE_STYLES.items()
    }


def _first(folder: Path, stem: str, styles: tuple[str, ...]) -> Path:
    for style in styles:
        candidate = folder / f"{stem}-{style}.ttf"
        if candidate.is_file():
            return candidate
    raise PrintError(f"Không tìm thấy tệp phông chữ {folder / f'{stem}-{styles[0]}.ttf'}.")


def _from_path(spec: str, path: Path) -> tuple[str, dict[str, Path]]:
    if path.is_file():
        stem = re.sub(r"-(Regular|Bold|SemiBold|ExtraBold|Black|Medium)$", "", path.stem)
        folder = path.parent
        regular = path
    elif path.is_dir():
        regs = sorted(path.glob("*-Regular.ttf"))
        if not regs:
            raise PrintError(f"Thư mục phông chữ {path} không có tệp *-Regular.ttf.")
        folder, stem, regular = path, regs[0].stem[: -len("-Regular")], regs[0]
    else:
        folder, stem = path.parent, path.name
        regular = folder / f"{stem}-Regular.ttf"
        if not regular.is_file():
            raise PrintError(
                f"Không tìm thấy phông chữ “{spec}”: không có tệp {path} hay {regular}. "
                "Hãy sửa mục print.font (tên họ phông đã cài, đường dẫn tệp .ttf hoặc tiền tố đường dẫn)."
            )
    paths = {"regular": regular}
    for role in ("bold", "heavy"):
        found = [folder / f"{stem}-{s}.ttf" for s in ROLE_STYLES[role]]
        paths[role] = next((p for p in found if p.is_file()), regular)
    return stem, paths


def _from_fontpkg(spec: str) -> tuple[str, dict[str, Path]]:
    try:
        import fontpkg

        fam = fontpkg.family(spec)
    except Exception:
        raise PrintError(
            f"Không tìm thấy phông chữ “{spec}”: không phải họ phông đã cài (fontpkg) cũng không phải "
            "đường dẫn tệp. Hãy cài gói phông hoặc sửa mục print.font."
        ) from None
    if fam.is_variable:
        raise PrintError(
            f"Phông chữ “{fam.name}” là phông biến thiên (variable): reportlab chỉ in được độ đậm mặc định. "
            "Hãy chọn một họ phông tĩnh, ví dụ BeVietnamPro."
        )
    upright = [f for f in fam.files if f.style == "normal" and f.weight is not None]
    if not upright:
        raise PrintError(f"Họ phông “{fam.name}” không có kiểu chữ đứng (normal).")
    paths = {}
    for role, weights in ROLE_WEIGHTS.items():
        by_weight = {f.weight: f.path for f in upright}
        pick = next((by_weight[w] for w in weights if w in by_weight), None)
        paths[role] = (
            Path(pick) if pick else Path(min(upright, key=lambda f: abs(f.weight - 400)).path)
        )
    return fam.name, paths


def _register(path: Path) -> Face:
    try:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]  # same name on every machine
    except OSError as exc:
        raise PrintError(f"Không đọc được tệp phông chữ {path}: {exc.strerror or exc}.") from None
    name = f"TT-{path.stem}-{digest}"
    try:
        font = pdfmetrics.getFont(name)
    except KeyError:
        try:
            font = TTFont(name, str(path))
        except (TTFError, OSError) as exc:
            raise PrintError(f"Không đọc được tệp phông chữ {path}: {exc}.") from None
        if not getattr(font.face, "charToGlyph", None) or "glyf" not in font.face.table:
            raise PrintError(
                f"Tệp phông chữ {path} không phải phông TrueType (glyf) dùng được để nhúng."
            ) from None
        pdfmetrics.registerFont(font)
    face = font.face
    return Face(
        name=name,
        path=str(path),
        cap_height=face.capHeight / 1000.0,
        ascent=face.ascent / 1000.0,
        descent=face.descent / 1000.0,
    )


@functools.lru_cache(maxsize=16)
def _glyph_boxes(font_name: str) -> dict[int, tuple[float, float]]:
    """codepoint -> (yMin, yMax) in em, read from the glyf table's per-glyph headers."""
    face = pdfmetrics.getFont(font_name).face
    data = face._ttf_data
    base = face.table["glyf"]["offset"]
    upm = float(face.unitsPerEm)
    pos = face.glyphPos
    boxes: dict[int, tuple[float, float]] = {}
    for code, gid in face.charToGlyph.items():
        if gid + 1 >= len(pos) or pos[gid + 1] == pos[gid]:
            continue  # empty glyph (space)
        start = base + pos[gid]
        _, _, y_min, _, y_max = struct.unpack(">hhhhh", data[start : start + 10])
        boxes[code] = (y_min / upm, y_max / upm)
    return boxes
