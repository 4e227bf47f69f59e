"""Channel files are keyed by content: a second build makes none of them; settings are validated."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.buildutil import build
from truyenthanh.config import ChannelSettings

CHANNEL_KINDS = {"screen_video", "social_card", "post_text", "web_post"}


def test_a_second_build_rebuilds_no_channel_file(built):
    project, out, first = built
    made = [a for a in first["artifacts"] if a["kind"] in CHANNEL_KINDS]
    assert {a["kind"] for a in made} == CHANNEL_KINDS
    code, again, output = build(project, out)
    assert code == 0, output
    channel = [a for a in again["artifacts"] if a["kind"] in CHANNEL_KINDS]
    assert sorted(a["path"] for a in channel) == sorted(a["path"] for a in made)
    assert not [a["path"] for a in channel if a["built"]]
    assert {a["path"]: a["sha256"] for a in channel} == {a["path"]: a["sha256"] for a in made}


@pytest.mark.parametrize(
    "sizes, words",
    [
        ([[1921, 1080]], "số chẵn"),
        ([[100, 100]], "từ 320 đến 3840"),
        ([], "ít nhất một"),
        ([[1280, 720], [1280, 720]], "bị trùng"),
    ],
)
def test_bad_screen_sizes_are_refused_in_vietnamese(sizes, words):
    with pytest.raises(ValidationError) as info:
        ChannelSettings(screen_sizes=sizes)
    assert words in str(info.value)


def test_hashtags_lose_their_hash_and_refuse_spaces():
    assert ChannelSettings(hashtags=["#TaySon", "CCHC_2023"]).hashtags == ("TaySon", "CCHC_2023")
    with pytest.raises(ValidationError, match="hashtag không hợp lệ"):
        ChannelSettings(hashtags=["Tây Sơn"])
