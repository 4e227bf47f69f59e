"""Helpers for tests that run whole builds."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from truyenthanh.cli import cli

WEEK = "2023-W08"


def build(project: Path, out: Path, *extra: str, week: str = WEEK) -> tuple[int, dict, str]:
    """Run `truyenthanh build` in-process; return (exit code, latest report, output)."""
    result = CliRunner().invoke(
        cli, ["build", "-p", str(project), "-o", str(out), "--week", week, "--jobs", "1", *extra]
    )
    latest = out / "runs" / "latest.json"
    report = json.loads(latest.read_text(encoding="utf-8")) if latest.exists() else {}
    return (
        result.exit_code,
        report,
        result.output
        + (
            str(result.exception)
            if result.exception and result.exit_code not in (0, 1, 2, 3)
            else ""
        ),
    )


def built_paths(report: dict, kind: str | None = None) -> set[str]:
    return {
        a["path"] for a in report["artifacts"] if a["built"] and (kind is None or a["kind"] == kind)
    }


def artifact(report: dict, path: str) -> dict:
    return next(a for a in report["artifacts"] if a["path"] == path)
