import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest_media import media, sample_out  # noqa: E402,F401  (fixtures shared by the folders)
