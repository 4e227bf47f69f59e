"""The typed project configuration (`truyenthanh.yaml`), validated once.

Nothing here is district-only: the issuer may be a province, a district or a
commune, and the areas it broadcasts to may be communes, wards, towns or villages
(DESIGN.md, "Levels change; the model must not care").

Every model forbids unknown fields so a typo is an error, not a silently ignored
setting. Models are frozen: stages receive them and can pass them to worker
processes (they pickle).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

SAFE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
SLOT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
HEX_OR_CMYK_HELP = "màu CMYK là danh sách 4 số từ 0 đến 100, ví dụ [0, 100, 100, 0]"


CONFIG_NAME = "truyenthanh.yaml"  # the project's settings file, in the project folder


def check_safe_id(value: str) -> str:
    """Ids become file names and URLs: lowercase ASCII, digits and hyphens only."""
    if not SAFE_ID.match(value):
        raise ValueError(
            f"mã “{value}” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang "
            "(ví dụ “tay-son”, “binh-hoa”), không có khoảng trắng, “/” hay “..”"
        )
    return value


def check_slot(value: str) -> str:
    if not SLOT.match(value):
        raise ValueError(
            f"giờ phát “{value}” không hợp lệ: dùng dạng HH:MM, ví dụ 05:30 hoặc 17:00"
        )
    return value


SafeId = Annotated[str, AfterValidator(check_safe_id)]
SlotTime = Annotated[str, AfterValidator(check_slot)]
Cmyk = tuple[float, float, float, float]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Issuer(Model):
    """Who issues the announcements: a province, district or commune authority."""

    name: str = Field(min_length=1)
    short_name: str | None = None
    level: str = Field(min_length=1)  # "tỉnh", "huyện", "xã", "phường"… free text on purpose
    province: str = Field(min_length=1)
    station: str = Field(min_length=1)  # the producing station (đài / trung tâm)
    hotlines: tuple[str, ...] = Field(min_length=1)
    one_stop_address: str = Field(min_length=1)
    portal_url: str = "https://dichvucong.gov.vn"
    timezone: str = "Asia/Ho_Chi_Minh"

    @property
    def hotline(self) -> str:
        return self.hotlines[0]


class Area(Model):
    """One place with its own station: commune, ward, town or village."""

    id: SafeId
    name: str = Field(min_length=1)
    kind: str = Field(min_length=1)  # "xã", "thị trấn", "phường", "thôn", "tổ dân phố"…
    station: str = Field(min_length=1)
    slots: tuple[SlotTime, ...] = Field(min_length=1)
    voice: str | None = None  # voice profile override
    operator: str | None = None
    max_slot_minutes: int = Field(default=45, ge=1, le=240)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    @field_validator("slots")
    @classmethod
    def _slots_sorted_unique(cls, slots: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(slots)) != len(slots):
            raise ValueError("giờ phát bị trùng")
        return tuple(sorted(slots))


class AudioSettings(Model):
    engine: str = "espeak"
    voice: str = "central"  # a profile name in voices/
    on_engine_failure: Literal["fail", "fallback"] = "fail"
    fallback_engine: str | None = None
    loudness_lufs: float = Field(default=-16.0, ge=-36.0, le=-8.0)
    true_peak_dbtp: float = Field(default=-1.0, ge=-9.0, le=0.0)
    sample_rate: int = Field(default=22050)
    bitrate_kbps: int = Field(default=64)
    highpass_hz: int | None = Field(default=200, ge=20, le=1000)
    repeats: int = Field(default=1, ge=0, le=5)  # extra readings after the first
    gap_seconds: float = Field(default=2.0, ge=0.0, le=30.0)
    ident: str | None = (
        "voices/idents/ident.wav"  # relative to the project, or to the package voices
    )
    chime: str | None = "voices/idents/chime.wav"
    # A recording shorter than its script's reading time / factor, or longer than time x factor, is noted.
    recording_duration_factor: float = Field(default=2.0, ge=1.0, le=10.0)

    @field_validator("sample_rate")
    @classmethod
    def _rate(cls, v: int) -> int:
        if v not in (16000, 22050, 24000, 32000, 44100, 48000):
            raise ValueError(
                "tần số lấy mẫu phải là một trong 16000, 22050, 24000, 32000, 44100, 48000"
            )
        return v

    @field_validator("bitrate_kbps")
    @classmethod
    def _bitrate(cls, v: int) -> int:
        if v not in (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192):
            raise ValueError("bitrate phải là một mức CBR của MP3: 32, 48, 64, 96, 128… kbps")
        return v

    @model_validator(mode="after")
    def _fallback_named(self) -> AudioSettings:
        if self.on_engine_failure == "fallback" and not self.fallback_engine:
            raise ValueError("on_engine_failure là “fallback” nhưng chưa khai báo fallback_engine")
        return self


class BannerSize(Model):
    width_mm: float = Field(gt=100, le=50000)
    height_mm: float = Field(gt=100, le=10000)
    bleed_mm: float = Field(default=20.0, ge=0, le=100)  # cloth banners need more than paper
    min_letter_mm: float | None = None  # minimum cap height; default derived from height

    @property
    def label(self) -> str:
        return f"{self.height_mm / 1000:g}x{self.width_mm / 1000:g}m"


class Delivery(Model):
    """Where, by when and to whom a shop delivers printed copies (every field optional).

    Defaults (see README): files for everywhere go to the issuer's one-stop
    address, a variant made for one area to that area's station; the contact is
    the area's operator, else the order contact; the deadline is the Saturday
    before the week (`days_before: 2` counted back from its Monday).
    """

    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    days_before: int | None = Field(
        default=None, ge=0, le=60
    )  # deadline: the week's Monday minus this


class Contact(Model):
    name: str = Field(min_length=1)
    phone: str | None = None


class PrintShop(Model):
    id: SafeId
    name: str = Field(min_length=1)
    address: str | None = None
    phone: str | None = None
    delivery: Delivery = Delivery()  # files for everywhere (and the default for area variants)
    area_delivery: dict[str, Delivery] = Field(default_factory=dict)  # per area id
    quantities: dict[Literal["leaflet", "banner", "poster"], int] = Field(default_factory=dict)
    # Copies of each variant made for one area (a leaflet naming its commune); default: quantities.
    area_quantities: dict[Literal["leaflet", "banner", "poster"], int] = Field(default_factory=dict)
    areas: tuple[str, ...] | Literal["all"] = "all"  # which areas' files this shop prints


class PrintSettings(Model):
    font: str = "BeVietnamPro"  # family in fontpkg-be-vietnam-pro, or a path to a TTF family prefix
    bleed_mm: float = Field(default=3.0, ge=0, le=20)
    slug_mm: float = Field(default=12.0, ge=5, le=40)
    banner: BannerSize = BannerSize(width_mm=5000, height_mm=800)
    leaflet_paper: Literal["A4"] = "A4"
    poster_sizes: tuple[Literal["A0", "A1", "A2", "A3"], ...] = ("A3", "A1")
    banner_ground: Cmyk = (0, 100, 100, 0)  # red
    banner_text: Cmyk = (0, 0, 100, 0)  # yellow
    accent: Cmyk = (0, 100, 100, 10)
    shops: tuple[PrintShop, ...] = ()
    # The public address of the download page (e.g. https://tuyentruyen.example.vn): when set,
    # QR codes lead to each announcement's own page there (full text, audio, print files).
    public_base_url: str | None = None
    order_contact: Contact | None = (
        None  # who placed the order; default: the issuer's station + first hotline
    )
    order_days_before: int = Field(
        default=7, ge=0, le=60
    )  # issue date: the week's Monday minus this
    banner_hem_mm: float = Field(default=30.0, ge=0, le=200)  # sewn hem marked in the slug
    banner_eyelet_spacing_mm: float = Field(
        default=500.0, ge=100, le=5000
    )  # eyelet centres along the hem

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/]+", v):
            raise ValueError(f"public_base_url “{v}” phải là địa chỉ http:// hoặc https://")
        return v

    @field_validator("banner_ground", "banner_text", "accent")
    @classmethod
    def _cmyk(cls, v: Cmyk) -> Cmyk:
        if any(c < 0 or c > 100 for c in v):
            raise ValueError(HEX_OR_CMYK_HELP)
        return v


class ChannelSettings(Model):
    """The plan's other channels (README "Screens, social posts, web portal"): e-screen videos,
    social cards + post text, and the web portal post, made from the same approved text."""

    screens: bool = True  # e-screen / LED board videos (need the programme audio)
    # (width, height) in pixels; LED boards commonly take 1920x1080, 1280x720 or portrait 1080x1920.
    screen_sizes: tuple[tuple[int, int], ...] = ((1920, 1080),)
    social: bool = True  # 1080x1080 and 1080x1350 cards and the post text
    web: bool = True  # HTML fragment and Markdown for the portal's editor
    hashtags: tuple[str, ...] = ("CaiCachHanhChinh",)  # without "#"; letters, digits, "_"

    @field_validator("screen_sizes")
    @classmethod
    def _sizes(cls, v: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
        if not v:
            raise ValueError("screen_sizes cần ít nhất một cỡ màn hình, ví dụ [[1920, 1080]]")
        for w, h in v:
            if not (320 <= w <= 3840 and 320 <= h <= 3840) or w % 2 or h % 2:
                raise ValueError(
                    f"cỡ màn hình {w}x{h} không hợp lệ: rộng và cao là số chẵn từ 320 đến 3840 điểm ảnh"
                )
        if len(set(v)) != len(v):
            raise ValueError("screen_sizes có cỡ màn hình bị trùng")
        return v

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(t.lstrip("#") for t in v)
        bad = [t for t in cleaned if not re.fullmatch(r"\w{1,60}", t)]
        if bad:
            raise ValueError(
                f"hashtag không hợp lệ: {', '.join(bad)} (chỉ chữ, số và “_”, không có khoảng trắng)"
            )
        return cleaned


class Approver(Model):
    """A person who may approve announcements, identified by an Ed25519 public key."""

    name: str = Field(min_length=1)
    role: str | None = None  # e.g. "Phó Giám đốc Trung tâm VH-TT-TT"; shown on the page
    public_key: str = Field(min_length=1)  # "ed25519:<base64 of 32 bytes>", printed by `keys new`
    revoked: bool = False  # past approvals by a revoked key stop counting

    @field_validator("public_key")
    @classmethod
    def _key_format(cls, v: str) -> str:
        from truyenthanh.signing import check_public_key

        return check_public_key(v)


class ApprovalSettings(Model):
    """How approvals are checked. Signatures and four eyes are on unless a project says otherwise."""

    require_signatures: bool = True  # false: unsigned ledger lines still count (migration only)
    four_eyes: bool = True  # an announcement's author cannot approve it
    # Emergency items may be approved by one approver of this role alone, author or not,
    # so that a storm warning written at 2 a.m. is not blocked. None: no exception.
    emergency_role: str | None = None


class BuildSettings(Model):
    """Where the nightly build runs (the CLI's --executor/--scheduler override these)."""

    executor: Literal["local", "dask"] = "local"  # executor.EXECUTOR_NAMES
    scheduler: str | None = Field(
        default=None, min_length=1
    )  # the Dask scheduler, e.g. tcp://10.0.0.5:8786

    @model_validator(mode="after")
    def _dask_needs_scheduler(self) -> BuildSettings:
        if self.executor == "dask" and not self.scheduler:
            raise ValueError(
                "executor: dask cần scheduler: địa chỉ bộ lập lịch Dask, ví dụ tcp://10.0.0.5:8786"
            )
        return self


class ProjectConfig(Model):
    """The whole `truyenthanh.yaml`."""

    issuer: Issuer
    areas: tuple[Area, ...] = Field(min_length=1)
    audio: AudioSettings = AudioSettings()
    print: PrintSettings = PrintSettings()
    channels: ChannelSettings = ChannelSettings()
    approvers: tuple[Approver, ...] = ()
    approvals: ApprovalSettings = ApprovalSettings()
    build: BuildSettings = BuildSettings()

    @model_validator(mode="after")
    def _unique_ids(self) -> ProjectConfig:
        seen: set[str] = set()
        dupes = [a.id for a in self.areas if a.id in seen or seen.add(a.id)]  # type: ignore[func-returns-value]
        if dupes:
            raise ValueError(f"mã địa bàn bị trùng: {', '.join(sorted(set(dupes)))}")
        shop_ids = [s.id for s in self.print.shops]
        if len(set(shop_ids)) != len(shop_ids):
            raise ValueError("mã cơ sở in bị trùng")
        for shop in self.print.shops:
            unknown = sorted(set(shop.area_delivery) - set(self.area_ids))
            if unknown:
                raise ValueError(
                    f"cơ sở in “{shop.id}”: area_delivery nêu địa bàn không có: {', '.join(unknown)}"
                )
        keys = [a.public_key for a in self.approvers]
        if len(set(keys)) != len(keys):
            raise ValueError("approvers: cùng một khóa công khai được khai báo cho hai người")
        return self

    def approver(self, public_key: str) -> Approver | None:
        for a in self.approvers:
            if a.public_key == public_key:
                return a
        return None

    def area(self, area_id: str) -> Area:
        for a in self.areas:
            if a.id == area_id:
                return a
        raise KeyError(area_id)

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)
