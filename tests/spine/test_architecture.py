"""The layout shows the architecture: stages only declare, and no module imports in a circle.

Both are read from the source (ast), so a lazy import inside a function counts
as much as one at the top: a circle hidden in a function is still a circle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import truyenthanh

PACKAGE = Path(truyenthanh.__file__).parent
WRITE_CALLS = {
    "open",
    "write_bytes",
    "write_text",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_writer",
    "mkdir",
    "unlink",
    "rename",
    "replace",
    "rmtree",
    "copyfile",
    "copytree",
    "touch",
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (imports there never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        ):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(name, path, known) for name, path in modules.items()}
    # A package's __init__ re-exporting its own submodules is not a circle with them.
    return {
        name: {t for t in targets if not name.startswith(t + ".") and not t.startswith(name + ".")}
        for name, targets in graph.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stage_modules_never_write():
    for path in sorted((PACKAGE / "stages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert called not in WRITE_CALLS, f"{path.name}:{node.lineno} calls {called}()"


def test_every_stage_is_listed_once_in_order():
    from truyenthanh.stages import STAGES

    names = [s.NAME for s in STAGES]
    assert len(names) == len(set(names))
    for position, stage in enumerate(STAGES):
        assert set(stage.NEEDS) <= set(names[:position]), f"{stage.NAME} needs a later stage"
    declaring = {
        p.stem
        for p in (PACKAGE / "stages").glob("*.py")
        if "\ndef jobs(" in p.read_text(encoding="utf-8")
    }
    assert declaring == {
        s.__name__.rpartition(".")[2] for s in STAGES
    }  # a stage module not listed is dead


def test_the_readme_architecture_table_names_every_module_and_package():
    """README's table is the map of this tree: a top-level module or package it does not name
    (or names but is gone) makes the map wrong."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Architecture (for developers)") :]
    # the table's first column: what each row is about (the second may mention submodules)
    first = " ".join(line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))
    tree = {
        f"{p.name}/" if p.is_dir() else p.name
        for p in PACKAGE.iterdir()
        if not p.name.startswith("__")
        and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    }
    named = set(re.findall(r"`([a-z_]+(?:\.py|/))`", first))
    assert tree - named == set(), "modules the README's architecture table does not name"
    assert named - tree == set(), "names in the README's architecture table with no module"
