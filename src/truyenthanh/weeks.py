"""ISO weeks: the unit of a broadcast bundle (`--week 2023-W08`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
WEEKDAYS_VI = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        m = WEEK_RE.match(text.strip())
        if not m:
            raise ValueError(f"tuần “{text}” không hợp lệ: dùng dạng YYYY-Www, ví dụ 2023-W08")
        year, week = int(m.group(1)), int(m.group(2))
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(
                f"tuần “{text}” không hợp lệ: năm {year} không có tuần {week:02d}"
            ) from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def current(cls, timezone: str = "Asia/Ho_Chi_Minh") -> IsoWeek:
        return cls.containing(dt.datetime.now(ZoneInfo(timezone)).date())

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=i) for i in range(7)]

    @property
    def title_vi(self) -> str:
        return f"Tuần {self.week}/{self.year} ({self.monday:%d/%m} – {self.sunday:%d/%m/%Y})"

    def __str__(self) -> str:
        return self.label
