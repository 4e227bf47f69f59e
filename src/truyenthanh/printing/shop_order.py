"""What a print shop is ordered: the files, their quantities, where and by when they go, and
the order's number.

Declared by the orders stage in the main process; printing/order.py lays the order sheet
out (PDF, CSV, XLSX) in a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from truyenthanh.config import Area, Delivery, Issuer, PrintSettings, PrintShop
from truyenthanh.domain import PRINT_KINDS
from truyenthanh.printing.sheet import setting


@dataclass(frozen=True)
class PrintedFile:
    path: str  # relative to OUT
    kind: str  # "leaflet" | "banner" | "poster"
    announcement: str
    area: str | None
    title: str
    finished_w_mm: float
    finished_h_mm: float
    scale: int
    bleed_mm: float
    pages: int
    quantity: int
    material: str
    deliver_to: str = ""  # address; "" = the shop-wide delivery (see delivery_for)
    receiver: str = ""  # receiving contact: name and phone
    deadline: dt.date | None = None

    @property
    def name(self) -> str:
        """The download name (unique across a shop's set, layout.py)."""
        return self.path.rsplit("/", 1)[-1]


DEFAULT_DELIVERY_DAYS_BEFORE = 2  # the Saturday before the week


@dataclass(frozen=True)
class OrderInfo:
    number: str
    issued: dt.date | None
    contact: str  # who placed the order, with phone


def _monday(week: str) -> dt.date | None:
    from truyenthanh.weeks import IsoWeek

    try:
        return IsoWeek.parse(week).monday
    except ValueError:
        return None


def order_info(
    shop: PrintShop, issuer: Issuer | None, settings: PrintSettings | None, week: str
) -> OrderInfo:
    """Order number `DI-<week>-<shop>` (stable per shop and week) and issue date (the week's Monday − N days)."""
    monday = _monday(week)
    days = int(setting(settings, "order_days_before", 7))
    contact = setting(settings, "order_contact", None)
    if contact is not None:
        who = contact.name + (f", ĐT {contact.phone}" if contact.phone else "")
    elif issuer is not None:
        who = f"{issuer.station}, ĐT {issuer.hotline}"
    else:
        who = ""
    return OrderInfo(
        f"DI-{week}-{shop.id}", monday - dt.timedelta(days=days) if monday else None, who
    )


def delivery_for(
    shop: PrintShop, issuer: Issuer, settings: PrintSettings, week: str, area: Area | None
) -> tuple[str, str, dt.date | None]:
    """(address, receiver, deadline) for one file: the area's override, else the shop's, else the defaults.

    Defaults: a file for everywhere goes to the issuer's one-stop address; a
    variant for one area to that area's station, received by its operator; the
    deadline is the week's Monday minus 2 days (the Saturday before).
    """
    shop_d: Delivery = shop.delivery
    area_d: Delivery = shop.area_delivery.get(area.id, Delivery()) if area else Delivery()
    if area is not None:
        address = area_d.address or f"{area.station}, {area.kind} {area.name}"
    else:
        address = shop_d.address or issuer.one_stop_address
    # a name and its phone come from the same place: the area's delivery, its operator, the shop's delivery
    sources = [
        (area_d.contact, area_d.phone),
        (area.operator if area else None, None),
        (shop_d.contact, shop_d.phone),
    ]
    name, phone = next(((n, p) for n, p in sources if n or p), (None, None))
    if not name and not phone:
        receiver = order_info(shop, issuer, settings, week).contact
    else:
        receiver = ", ".join(x for x in (name, f"ĐT {phone}" if phone else None) if x)
    days = next(
        (d.days_before for d in (area_d, shop_d) if d.days_before is not None),
        DEFAULT_DELIVERY_DAYS_BEFORE,
    )
    monday = _monday(week)
    return address, receiver, (monday - dt.timedelta(days=days) if monday else None)


def material_for(kind: str) -> str:
    return PRINT_KINDS[kind].material_vi if kind in PRINT_KINDS else "theo thỏa thuận với cơ sở in"


def kind_label(kind: str) -> str:
    return PRINT_KINDS[kind].label_vi if kind in PRINT_KINDS else kind


def kind_unit(kind: str) -> str:
    return PRINT_KINDS[kind].unit_vi if kind in PRINT_KINDS else "bản"


def files_for_shop(shop: PrintShop, files: list[PrintedFile]) -> list[PrintedFile]:
    """The shop's share: the kinds it prints, for everywhere and for the areas it serves.

    A shop whose `quantities` name some kinds prints only those (a banner
    workshop gets no leaflets); a shop with no quantities at all gets every kind.
    """
    kinds = set(shop.quantities)
    chosen = [f for f in files if not kinds or f.kind in kinds]
    if shop.areas == "all":
        return chosen
    wanted = set(shop.areas)
    return [f for f in chosen if f.area is None or f.area in wanted]


def quantity_for(shop: PrintShop, f: PrintedFile) -> int:
    """The file's own quantity (the build sets it, per-area variants included), else the shop's."""
    return int(f.quantity) if f.quantity else int(shop.quantities.get(f.kind, 0))  # type: ignore[arg-type]
