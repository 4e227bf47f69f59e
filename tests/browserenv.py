"""Finding a real Chromium and its chromedriver for the browser tests.

On a fresh machine with only Python and the package registries there is no
browser: the browser tests skip with one line saying how to enable them. In CI
(`CI=true`, where `.ci/run` installs Debian's chromium and chromium-driver) a
missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver",)
HOW_TO_ENABLE = (
    "apt-get install -y chromium chromium-driver (Debian/Ubuntu), or put chromium and "
    "chromedriver on PATH"
)


def _which(names: tuple[str, ...]) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def find_browser() -> tuple[Path | None, Path | None, str | None]:
    """(chromium, chromedriver, what is missing or None), looked up on PATH."""
    chromium, driver = _which(CHROMIUM_NAMES), _which(DRIVER_NAMES)
    missing = [
        what for what, path in (("chromium", chromium), ("chromedriver", driver)) if path is None
    ]
    return chromium, driver, " and ".join(missing) or None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def browser_or_reason() -> tuple[Path | None, Path | None, str | None]:
    """(chromium, chromedriver, None), or a one-line skip reason saying how to enable the tests.

    Under CI=true a missing browser fails the run here instead.
    """
    chromium, driver, missing = find_browser()
    if missing is None:
        return chromium, driver, None
    message = f"browser tests need {missing} on PATH; to enable them: {HOW_TO_ENABLE}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    return None, None, message
