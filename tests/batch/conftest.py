from __future__ import annotations

import pytest

from tests.conftest import approve_all, write_announcement


@pytest.fixture
def print_project(commune_project):
    """The commune project plus a notice with a leaflet and a poster, the same in every village."""
    write_announcement(
        commune_project,
        "dvc",
        title="Dịch vụ công trực tuyến",
        outputs="audio, leaflet, poster",
        body="Bà con nộp hồ sơ trực tuyến tại Cổng dịch vụ công quốc gia.\n\nGọi {{ issuer.hotline }} khi cần hỗ trợ.",
    )
    approve_all(commune_project)
    return commune_project
