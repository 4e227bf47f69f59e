# Shared set-up for scripts/demo and scripts/test (sourced, not run).
# Creates .venv with a Python >= 3.11 and installs the project (editable) into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    echo "Cần Python 3.11 trở lên (không tìm thấy)." >&2
    return 1
}

setup_venv() {  # $1: pip extras spec, e.g. "" or "[test]"
    local extras="${1:-}"
    if [ ! -x .venv/bin/python ]; then
        "$(find_python)" -m venv .venv
    fi
    local stamp=".venv/.installed${extras}"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        echo "Cài đặt môi trường .venv${extras}…" >&2
        # Some machines' pip configuration names absent local indexes; those warnings are noise.
        { .venv/bin/python -m pip install --quiet --upgrade pip &&
          .venv/bin/python -m pip install --quiet -e ".${extras}"; } 2> >(grep -v "^WARNING: Location" >&2)
        touch "$stamp"
    fi
    # Byte-compile the sources, as pip does for a package it installs (an editable install is
    # not): where PYTHONDONTWRITEBYTECODE is set, every run otherwise compiles ~100 modules
    # again (measured: 0.25 s of each build's start and 0.2 s of its worker server's).
    # Up to date it takes ~0.1 s; a stale file is simply compiled in memory, as before.
    .venv/bin/python -m compileall -q src >/dev/null || true  # a broken file fails at import
}
