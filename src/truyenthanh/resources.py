"""Where the stock resources live: the sample project and the stock voices.

truyenthanh is installed from its checkout (`pip install -e .`, as scripts/demo
does), so the stock `voices/` and `examples/tay-son/` are found beside `src/`.
A project's own `voices/` folder overrides the stock one file by file.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def stock_voices_dir() -> Path:
    override = os.environ.get("TRUYENTHANH_VOICES")
    return Path(override) if override else REPO_ROOT / "voices"


def sample_project_dir() -> Path:
    return REPO_ROOT / "examples" / "tay-son"


DEMO_KEYS_DIR = "demo-keys"  # in the sample project: a key everybody has, for the demo only


def demo_public_keys() -> set[str]:
    """Public keys of the sample's demo key pairs (never to be trusted in a real project)."""
    folder = sample_project_dir() / DEMO_KEYS_DIR
    if not folder.is_dir():
        return set()
    return {p.read_text(encoding="ascii").strip() for p in folder.glob("*.pub")}


def find_voice_file(project_root: Path | None, relative: str) -> Path | None:
    """Resolve `relative` (e.g. "voices/idents/ident.wav") in the project, then in the stock set."""
    candidates = []
    if project_root is not None:
        candidates.append(project_root / relative)
    rel = Path(relative)
    if rel.parts and rel.parts[0] == "voices":
        rel = Path(*rel.parts[1:])
    candidates.append(stock_voices_dir() / rel)
    for path in candidates:
        if path.is_file():
            return path
    return None
