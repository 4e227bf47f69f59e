"""Print files in the build: one file when every area reads the same, per area otherwise."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.buildutil import WEEK, build
from tests.conftest import approve_all, write_announcement
from truyenthanh import layout
from truyenthanh.weeks import IsoWeek


def test_shared_and_per_area_files_with_their_quantities(print_project, out_dir):
    cfg = print_project / "truyenthanh.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "      quantities: {leaflet: 500, poster: 10, banner: 2}\n",
            "      quantities: {leaflet: 500, poster: 10, banner: 2}\n      area_quantities: {leaflet: 40}\n",
        ),
        encoding="utf-8",
    )
    write_announcement(
        print_project,
        "lich-tiem",
        title="Lịch tiêm chủng",
        outputs="leaflet",
        body="Trạm y tế tiêm chủng cho trẻ em {{ area.kind }} {{ area.name }} vào sáng thứ năm.",
    )
    approve_all(print_project)
    code, report, output = build(print_project, out_dir)
    assert code == 0, output
    prints = {a["path"] for a in report["artifacts"] if a["kind"] in ("leaflet", "poster")}
    w = IsoWeek.parse(WEEK)
    assert prints == {
        layout.leaflet_path(w, "dvc", None),
        layout.poster_path(w, "dvc", "A3", None),
        layout.leaflet_path(w, "lich-tiem", "thon-1"),
        layout.leaflet_path(w, "lich-tiem", "thon-2"),
    }
    raw = (out_dir / layout.order_path(w, "in-xa", "csv")).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    text = "\n".join(";".join(r) for r in rows)
    for path in prints:
        assert path.rsplit("/", 1)[-1] in text
    quantities = {
        next(c for c in r if c.endswith(".pdf")): r
        for r in rows[1:]
        if any(c.endswith(".pdf") for c in r)
    }
    thon_1 = layout.leaflet_path(w, "lich-tiem", "thon-1").rsplit("/", 1)[-1]
    shared = layout.leaflet_path(w, "dvc", None).rsplit("/", 1)[-1]
    assert any(
        "40" in cell for cell in quantities[next(k for k in quantities if k.endswith(thon_1))]
    )
    assert any(
        "500" in cell for cell in quantities[next(k for k in quantities if k.endswith(shared))]
    )


LONG_PLAN = (Path(__file__).parents[1] / "printing" / "data" / "cchc-2023-body.txt").read_text(
    encoding="utf-8"
)


def test_a_poster_that_cannot_carry_its_body_fails_alone_and_notes_survive_reuse(
    print_project, out_dir
):
    """The 7,800-character plan without a summary: its poster is a Vietnamese error, its leaflet and the
    other items build; a banner's note (slogans only) is in the run report, also when the banner is reused."""
    write_announcement(
        print_project,
        "ke-hoach-dai",
        title="Kế hoạch tuyên truyền cải cách hành chính năm 2023",
        outputs="leaflet, poster, banner",
        body=LONG_PLAN.replace("{", "(").replace("}", ")"),
        extra="slogans:\n  - Đẩy mạnh cải cách hành chính | xây dựng chính quyền số\n",
    )
    approve_all(print_project)
    w = IsoWeek.parse(WEEK)
    code, report, output = build(print_project, out_dir)
    assert code == 1, (output, report["failures"])
    failed = [f for f in report["failures"] if f["announcement"] == "ke-hoach-dai"]
    assert len(failed) == 1 and "quá dài cho áp phích A3" in failed[0]["error"], failed
    built = {a["path"] for a in report["artifacts"]}
    assert layout.leaflet_path(w, "ke-hoach-dai", None) in built
    assert layout.poster_path(w, "dvc", "A3", None) in built
    banner = layout.banner_path(w, "ke-hoach-dai", "0.8x5m", 1, None)
    assert any(n.startswith(banner) and "không in nội dung" in n for n in report["notes"]), report[
        "notes"
    ]
    code, again, output = build(print_project, out_dir)
    assert not next(a for a in again["artifacts"] if a["path"] == banner)["built"]
    assert any(n.startswith(banner) for n in again["notes"]), again["notes"]
    xlsx = out_dir / layout.order_path(w, "in-xa", "xlsx")
    assert xlsx.is_file() and xlsx.read_bytes()[:2] == b"PK"
