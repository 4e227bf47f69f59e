"""Stage: social cards, the social post text and the web portal post, per announcement
(per area where the text is per area), from the same approved text as the prints."""

from __future__ import annotations

from truyenthanh import channels, layout
from truyenthanh.channels import content
from truyenthanh.channels.draw import PNG_COMPRESS_LEVEL
from truyenthanh.channels.social import CARD_SIZES, post_text, render_card
from truyenthanh.channels.timeline import written_paragraphs
from truyenthanh.channels.web import html_fragment, markdown
from truyenthanh.job import Job, with_meta
from truyenthanh.keys import content_key
from truyenthanh.stages.context import Context
from truyenthanh.stages.prints import content_groups

NAME = "social"
HEADING = "Thẻ mạng xã hội, bài đăng, bài cổng thông tin…"
NEEDS: tuple[str, ...] = ("programmes",)  # the portal post links the programme MP3


def jobs(ctx: Context) -> list[Job]:
    cfg, week = ctx.config, ctx.week
    settings = cfg.channels
    if not (settings.social or settings.web):
        return []
    out: list[Job] = []
    for ann in ctx.selection.taken:
        groups = content_groups(
            sorted(ctx.selection.texts_for(ann.id), key=lambda t: t.area_id or "")
        )
        shared = len(groups) == 1
        for group in groups:
            text = group[0]
            area_id = None if shared else text.area_id
            common = dict(area=area_id, announcement=ann.id)
            if settings.social:
                card = content.card(text, cfg)
                for w, h in CARD_SIZES:
                    out.append(
                        Job(
                            kind="social_card",
                            path=layout.social_card_path(week, ann.id, w, h, area_id),
                            key=content_key(
                                "social_card",
                                card,
                                w,
                                h,
                                PNG_COMPRESS_LEVEL,
                                channels.RECIPE_VERSION,
                            ),
                            fn=render_card,
                            args=(card, w, h),
                            unpack=with_meta,
                            **common,
                        )
                    )
                link, _ = content.qr(text, cfg)
                paragraphs = [" ".join(p) for p in written_paragraphs(text.body)]
                post = post_text(
                    text.title,
                    content.LEADS.get(text.priority),
                    paragraphs,
                    content.dates_vi(text),
                    tuple(cfg.issuer.hotlines),
                    link,
                    cfg.issuer.station,
                    settings.hashtags,
                )
                out.append(
                    Job(
                        kind="post_text",
                        path=layout.post_text_path(week, ann.id, area_id),
                        key=content_key("post_text", post),
                        data=post.encode("utf-8"),
                        extra={"chars": len(post), "limit": content_limit()},
                        **common,
                    )
                )
            if settings.web:
                _, programme = content.programme_for(week, ann.id, group, ctx.records)
                audio, absolute = content.audio_link(cfg, programme)
                post = content.web_post(text, cfg, audio)
                extra = (
                    {}
                    if absolute
                    else {
                        "note": "liên kết tệp MP3 là đường dẫn tương đối trong thư mục xuất bản "
                        "(chưa khai báo print.public_base_url hay TRUYENTHANH_SITE_URL)"
                    }
                )
                for ext, made in (("html", html_fragment(post)), ("md", markdown(post))):
                    # through a recipe, not `data`: its note must reach the run report on the first build too
                    out.append(
                        Job(
                            kind="web_post",
                            path=layout.web_post_path(week, ann.id, area_id, ext),
                            key=content_key("web_post", ext, made),
                            fn=_as_is,
                            args=(made.encode("utf-8"), {"format": ext, **extra}),
                            unpack=with_meta,
                            **common,
                        )
                    )
    return out


def content_limit() -> int:
    from truyenthanh.channels.social import POST_MAX_CHARS

    return POST_MAX_CHARS


def _as_is(data: bytes, meta: dict) -> tuple[bytes, dict]:
    return data, meta
