"""Job construction for each stage of the data flow.

Each function turns this week's selection into `Job`s: the output path, the
content key of exactly the inputs, and the stage's pure function with its
arguments. `build.Builder` decides what runs; this module only describes it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from truyenthanh import audio, printing
from truyenthanh.announcement import PRIORITY_ORDER
from truyenthanh.bundle import BundleFile, bundle_bytes
from truyenthanh.errors import NormalizeError
from truyenthanh.keys import content_key, sha256_bytes, sha256_file
from truyenthanh.normalize import Dialect, Lexicon, SpokenScript, spoken_script
from truyenthanh.render import RenderedText
from truyenthanh.schedule import ScheduleItem
from truyenthanh.selection import Selection

if TYPE_CHECKING:
    from truyenthanh.build import Builder, Job
    from truyenthanh.project import Project

log = logging.getLogger(__name__)

VOICE_DIALECTS = {"northern": "north", "central": "central", "southern": "south"}


def week_dir(builder: "Builder") -> str:
    return builder.options.week.label


def _job(**kw) -> "Job":
    from truyenthanh.build import Job

    return Job(**kw)


def broadcast_sorted(texts: list[RenderedText]) -> list[RenderedText]:
    return sorted(texts, key=lambda t: (PRIORITY_ORDER[t.priority], t.valid_from, t.announcement_id))


# -- texts and spoken scripts ----------------------------------------------------------
def lexicon_for(project: "Project") -> Lexicon:
    extra = project.lexicon_extra
    return Lexicon.default().extended(extra.get("abbreviations", {}), extra.get("pronunciations", {}))


def voice_for(project: "Project", area_id: str) -> str:
    return project.config.area(area_id).voice or project.config.audio.voice


def dialect_for(voice: str, project_root: Path | None = None) -> Dialect:
    """The reading conventions of a voice profile (nghìn/ngàn, linh/lẻ…)."""
    from truyenthanh.speech import load_voice_profile

    try:
        return Dialect.named(load_voice_profile(voice, project_root).dialect)
    except Exception as exc:  # a broken profile fails the audio item itself, with its own message
        log.warning("voice profile %s unusable for the dialect (%s); using %s", voice, exc, VOICE_DIALECTS.get(voice, "central"))
        return Dialect.named(VOICE_DIALECTS.get(voice, "central"))


def write_texts(builder: "Builder", sel: Selection) -> dict[tuple[str, str], tuple[SpokenScript, str]]:
    """Write every rendered text (and the spoken script of every audio item) for proofreading."""
    project, week = builder.project, week_dir(builder)
    lexicon = lexicon_for(project)
    spoken: dict[tuple[str, str], tuple[SpokenScript, str]] = {}
    for (ann_id, area_id), text in sorted(sel.texts.items()):
        base = f"{week}/texts/{ann_id}/{area_id}"
        rendered = f"{text.title}\n\n{text.body}\n"
        builder.write_main(_job(kind="text", path=f"{base}.txt", key=content_key("text", rendered), fn=None, args=(),
                                area=area_id, announcement=ann_id), rendered.encode("utf-8"))
        ann = project.announcement(ann_id)
        if not ann.wants("audio"):
            continue
        dialect = dialect_for(voice_for(project, area_id), project.root)
        try:
            script = spoken_script(text.body, lexicon, dialect)
            title = spoken_script(text.title, lexicon, dialect).text
        except Exception as exc:  # the normaliser must never take the batch down
            builder.report.fail(NormalizeError.stage, f"Không tạo được kịch bản đọc: {exc}", ann_id, area_id)
            continue
        if not script.paragraphs:
            builder.report.fail(NormalizeError.stage, "Kịch bản đọc trống: thông báo không có nội dung đọc được.", ann_id, area_id)
            continue
        spoken[(ann_id, area_id)] = (script, title)
        readable = f"{title}\n\n{script.text}\n"
        builder.write_main(_job(kind="spoken_script", path=f"{base}.spoken.txt", key=content_key("spoken", readable),
                                fn=None, args=(), area=area_id, announcement=ann_id), readable.encode("utf-8"))
    return spoken


# -- audio -----------------------------------------------------------------------------------
def _unpack_audio(result: "audio.AudioResult") -> tuple[bytes, dict]:
    return result.mp3, {
        "engine": result.engine,
        "duration_s": round(result.duration_s, 3),
        "tts_requests": result.tts_requests,
        "tts_cache_hits": result.tts_cache_hits,
        "lufs": round(result.lufs, 2),
        "true_peak_dbtp": round(result.true_peak_dbtp, 2),
        "seconds_synthesis": round(result.seconds_synthesis, 4),
        "seconds_encoding": round(result.seconds_encoding, 4),
    }


def programme_path(week: str, area_id: str, ann_id: str) -> str:
    return f"{week}/audio/{area_id}/{ann_id}.mp3"


def programme_jobs(builder: "Builder", sel: Selection, spoken: dict, engine: str) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    settings = project.config.audio
    jobs = []
    for (ann_id, area_id), (script, title) in sorted(spoken.items()):
        text = sel.texts[(ann_id, area_id)]
        area = project.config.area(area_id)
        voice = voice_for(project, area_id)
        req = audio.ProgrammeRequest(
            announcement_id=ann_id,
            title=text.title,
            area_name=area.full_name,
            station=area.station,
            week=week,
            date=sel.week.monday.isoformat(),
            approval_sha256=text.approval_sha256,
            spoken_paragraphs=script.paragraphs,
            spoken_title=title,
            repeats=text.repeat,
            priority=text.priority,
        )
        key = content_key("programme", audio.programme_key(req, settings, voice, engine, project.root))
        jobs.append(_job(kind="audio", path=programme_path(week, area_id, ann_id), key=key, fn=audio.build_programme,
                         args=(req, settings, voice, engine, project.root, builder.options.speech_cache),
                         unpack=_unpack_audio, area=area_id, announcement=ann_id))
    return jobs


def bulletin_path(week: str, area_id: str) -> str:
    return f"{week}/audio/{area_id}/bulletin.mp3"


def _area_programmes(builder: "Builder", sel: Selection, area_id: str) -> list[tuple[RenderedText, str]]:
    """This week's programmes of an area that exist now, in broadcast order."""
    week = week_dir(builder)
    found = []
    for text in broadcast_sorted(sel.texts_in(area_id)):
        path = programme_path(week, area_id, text.announcement_id)
        if path in builder.records or (builder.options.dry_run and (builder.out / path).exists()):
            found.append((text, path))
    return found


def bulletin_jobs(builder: "Builder", sel: Selection) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    settings = project.config.audio
    jobs = []
    for area in project.config.areas:
        progs = _area_programmes(builder, sel, area.id)
        if not progs:
            continue
        files = [(t.title, str(builder.out / p)) for t, p in progs]
        # Only what is heard or tagged: a change of slots must not re-encode the bulletin.
        sounds = audio.sound_digests(settings, project.root)
        key = content_key("bulletin", [(t, sha256_file(builder.out / p)) for (t, _), (_, p) in zip(files, progs)],
                          settings, sounds, area.full_name, area.station, week, audio.RECIPE_VERSION)
        jobs.append(_job(kind="bulletin", path=bulletin_path(week, area.id), key=key, fn=audio.build_bulletin,
                         args=(files, settings, area.full_name, area.station, week, sel.week.monday.isoformat(), project.root),
                         unpack=_unpack_audio, area=area.id))
    return jobs


# -- print --------------------------------------------------------------------------------------
def _content_groups(texts: list[RenderedText]) -> list[list[RenderedText]]:
    """Areas whose text is identical share one print file: no fifteen identical PDFs."""
    groups: list[list[RenderedText]] = []
    for text in texts:
        for group in groups:
            if group[0].same_content(text):
                group.append(text)
                break
        else:
            groups.append([text])
    return groups


def print_jobs(builder: "Builder", sel: Selection) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    cfg = project.config
    settings, issuer = cfg.print, cfg.issuer
    jobs = []
    for ann in sel.taken:
        groups = _content_groups(sorted(sel.texts_for(ann.id), key=lambda t: t.area_id))
        shared = len(groups) == 1
        for group in groups:
            text = group[0]
            area = None if shared else cfg.area(text.area_id)
            suffix = "" if shared else f"-{text.area_id}"
            area_id = None if shared else text.area_id
            base = f"{week}/print/{ann.id}"
            common = dict(area=area_id, announcement=ann.id)
            recipe = printing.RECIPE_VERSION
            if ann.wants("leaflet"):
                name = f"leaflet{suffix}.pdf"
                jobs.append(_job(kind="leaflet", path=f"{base}/{name}", fn=printing.leaflet_pdf,
                                 key=content_key("leaflet", text, issuer, settings, area, name, recipe),
                                 args=(text, issuer, settings, area, name),
                                 extra={"finished_mm": [297, 210], "scale": 1}, **common))
            if ann.wants("banner"):
                size = text.banner or settings.banner
                name = printing.banner_file_name(ann.id, size, size.bleed_mm, suffix, slug_mm=settings.slug_mm)
                jobs.append(_job(kind="banner", path=f"{base}/{name}", fn=printing.banner_pdf,
                                 key=content_key("banner", text, issuer, settings, size, name, recipe),
                                 args=(text, issuer, settings, size, name),
                                 extra={"finished_mm": [size.width_mm, size.height_mm],
                                        "scale": printing.banner_scale(size, settings)}, **common))
            if ann.wants("poster"):
                for paper in settings.poster_sizes:
                    name = f"poster-{paper}{suffix}.pdf"
                    jobs.append(_job(kind="poster", path=f"{base}/{name}", fn=printing.poster_pdf,
                                     key=content_key("poster", text, issuer, settings, paper, name, recipe),
                                     args=(text, issuer, settings, paper, name),
                                     extra={"paper": paper, "scale": 1}, **common))
    return jobs


def operator_path(week: str, area_id: str) -> str:
    return f"{week}/operator/{area_id}.pdf"


def operator_items(builder: "Builder", sel: Selection, area_id: str) -> list["printing.OperatorItem"]:
    items = []
    for text in broadcast_sorted(sel.texts_in(area_id)):
        if not builder.project.announcement(text.announcement_id).wants("audio"):
            continue
        items.append(printing.OperatorItem(
            title=text.title, priority=text.priority, valid_from=text.valid_from, valid_until=text.valid_until,
            repeat=text.repeat, body=text.body, audio_file=f"{text.announcement_id}.mp3"))
    return items


def operator_jobs(builder: "Builder", sel: Selection) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    cfg = project.config
    jobs = []
    for area in cfg.areas:
        items = operator_items(builder, sel, area.id)
        if not items:
            continue
        key = content_key("operator", area, cfg.issuer, cfg.print, sel.week, items, printing.RECIPE_VERSION)
        jobs.append(_job(kind="operator_script", path=operator_path(week, area.id), key=key,
                         fn=printing.operator_script_pdf, args=(area, cfg.issuer, cfg.print, sel.week, items), area=area.id))
    return jobs


def order_jobs(builder: "Builder", sel: Selection, print_jobs_: list["Job"]) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    cfg = project.config
    jobs = []
    for shop in cfg.print.shops:
        files = []
        for job in print_jobs_:
            if job.path not in builder.records and not builder.options.dry_run:
                continue  # failed this run: not ordered
            if shop.areas != "all" and job.area is not None and job.area not in shop.areas:
                continue
            files.append(_printed_file(builder, sel, job, shop))
        if not files:
            continue
        key = content_key("order", shop, files, cfg.issuer, cfg.print, week, printing.RECIPE_VERSION)
        base = f"{week}/print/order-{shop.id}"
        jobs.append(_job(kind="print_order", path=f"{base}.pdf", key=key, fn=printing.order_sheet_pdf,
                         args=(shop, files, cfg.issuer, cfg.print, week)))
        jobs.append(_job(kind="print_order", path=f"{base}.csv", key=key, fn=printing.order_sheet_csv,
                         args=(shop, files, week), extra={"format": "csv"}))
    return jobs


def _printed_file(builder: "Builder", sel: Selection, job: "Job", shop) -> "printing.PrintedFile":
    settings = builder.project.config.print
    text = sel.texts_for(job.announcement)[0]
    if job.kind == "banner":
        w, h = job.extra["finished_mm"]
        bleed = (text.banner or settings.banner).bleed_mm
        pages = len(text.slogans)  # one page per slogan
    elif job.kind == "leaflet":
        w, h, bleed, pages = 297.0, 210.0, settings.bleed_mm, 2
    else:
        w, h = printing.poster.PAPER_MM[job.extra["paper"]]
        bleed, pages = settings.bleed_mm, 1
    return printing.PrintedFile(
        path=job.path, kind=job.kind, announcement=job.announcement, area=job.area, title=text.title,
        finished_w_mm=float(w), finished_h_mm=float(h), scale=int(job.extra.get("scale", 1)), bleed_mm=float(bleed),
        pages=pages, quantity=_quantity(shop, job), material=printing.material_for(job.kind))


def _quantity(shop, job: "Job") -> int:
    if job.area is not None and job.kind in shop.area_quantities:
        return int(shop.area_quantities[job.kind])
    return int(shop.quantities.get(job.kind, 0))


# -- bundles and the page --------------------------------------------------------------------------
def bundle_path(week: str, area_id: str) -> str:
    return f"{week}/bundles/{area_id}-{week}.zip"


def bundle_jobs(builder: "Builder", sel: Selection) -> list["Job"]:
    project, week = builder.project, week_dir(builder)
    cfg = project.config
    jobs = []
    for area in cfg.areas:
        progs = _area_programmes(builder, sel, area.id)
        if not progs:
            continue
        files, items = [], []
        for text, path in progs:
            arcname = f"{text.announcement_id}.mp3"
            duration = float(_meta(builder, path).get("duration_s", 0.0))
            files.append(BundleFile(arcname, builder.out / path, "programme", duration, text.announcement_id))
            items.append(ScheduleItem(text.announcement_id, text.title, text.priority, text.valid_from,
                                      text.valid_until, text.repeat, arcname, duration))
        extra = [(bulletin_path(week, area.id), f"ban-tin-{week}.mp3", "bulletin"),
                 (operator_path(week, area.id), f"kich-ban-doc-{week}.pdf", "operator_script")]
        for path, arcname, kind in extra:
            if path in builder.records:
                files.append(BundleFile(arcname, builder.out / path, kind,
                                        _meta(builder, path).get("duration_s"), None))
        approvals = {t.announcement_id: t.approval_sha256 for t, _ in progs}
        key = content_key("bundle", area, cfg.issuer, week, [(f.arcname, f.kind, sha256_file(f.source)) for f in files],
                          items, approvals)
        jobs.append(_job(kind="bundle", path=bundle_path(week, area.id), key=key, fn=_bundle_task,
                         args=(area, cfg.issuer, sel.week, files, items, approvals), unpack=_unpack_bundle,
                         area=area.id))
    return jobs


def _meta(builder: "Builder", path: str) -> dict:
    rec = builder.records.get(path)
    return rec.extra if rec else {}


def _bundle_task(area, issuer, week, files, items, approvals):
    return bundle_bytes(area, issuer, week, files, items, approvals)


def _unpack_bundle(result) -> tuple[bytes, dict]:
    data, manifest = result
    return data, {"manifest": manifest}


def write_manifests(builder: "Builder") -> None:
    """Publish each bundle's manifest beside it, for the page (the ZIP holds the same)."""
    from truyenthanh.bundle import write_page_manifest

    for rec in list(builder.records.values()):
        if rec.kind != "bundle" or "manifest" not in rec.extra:
            continue
        zip_path = builder.out / rec.path
        size = zip_path.stat().st_size
        write_page_manifest(builder.out, zip_path, zip_path.with_suffix(".json"), rec.sha256, size, rec.extra["manifest"])
        rec.extra = {k: v for k, v in rec.extra.items() if k != "manifest"}  # keep the run report lean


def write_index(builder: "Builder", project: "Project") -> None:
    from truyenthanh.site import render_index

    cfg = project.config
    data = render_index(builder.out, cfg.issuer, list(cfg.areas), list(cfg.print.shops))
    job = _job(kind="index", path="index.html", key=content_key("index", sha256_bytes(data)), fn=None, args=())
    builder.write_main(job, data)


