"""Which files a print font family is, without loading them.

Be Vietnam Pro (static TTFs from `fontpkg-be-vietnam-pro`) is the default; the
setting `print.font` may name another installed fontpkg family, a TTF file, or a
path prefix such as `/fonts/NotoSerif` (meaning `/fonts/NotoSerif-Regular.ttf`,
`-Bold.ttf`, `-ExtraBold.ttf`). The print workers register them with reportlab
(printing/fonts.py); the e-screens draw them with Pillow, in the main process too.
"""

from __future__ import annotations

import re
from pathlib import Path

from truyenthanh.errors import PrintError

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


def font_files(spec: str) -> dict[str, Path]:
    """role → file of the family named by `PrintSettings.font`, without loading it into reportlab
    (the e-screens draw with Pillow: registering three faces cost the build's main process
    ~50 ms before its first slide)."""
    return family_files(spec.strip())[1]


def family_files(spec: str) -> tuple[str, dict[str, Path]]:
    """(family name, role → file) of a `PrintSettings.font` value, already stripped."""
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
