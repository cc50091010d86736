"""The layering of the code, as a contract CI checks.

- import-linter keeps the contracts in pyproject.toml ([tool.importlinter]): the engine's
  layers (audit > log > evaluate > rules > model, errors beneath all), and the engine
  never importing its edges (cli, web, click, FastAPI, Jinja2).
- No import cycle anywhere in the package, lazy (function-level) imports included.
- No private name (`_x`) imported across modules; only the edges read the environment or print.
- Modules stay under ~400 lines and functions under ~40 (docstrings, which are --help
  texts for commands, not counted).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"maatwerk.engine": ROOT / "engine", "maatwerk.cli": ROOT / "cli",
            "maatwerk.web": ROOT / "web"}
EDGES = ("cli", "web")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40


def _sources() -> list[Path]:
    return sorted(p for folder in PACKAGES.values() if folder.exists() for p in folder.rglob("*.py"))


def _lint(config: Path, cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    code = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports(config_filename={str(config)!r}, no_cache=True, no_logo=True))")
    env = None
    if extra_path is not None:
        import os
        env = dict(os.environ, PYTHONPATH=str(extra_path))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def test_layer_contracts_are_kept():
    done = _lint(ROOT / "pyproject.toml", ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_lower_layer_importing_a_higher_one_fails_and_names_the_arrow(tmp_path):
    """The contract bites: a copy of the engine (as package `probe`) with one module in
    `model` that imports `audit` breaks the layers contract, and the output names it."""
    probe = tmp_path / "probe"
    shutil.copytree(ROOT / "engine", probe / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    for edge in EDGES:       # `probe` stays a namespace package, as `maatwerk` is
        (probe / edge).mkdir()
        (probe / edge / "__init__.py").write_text("")
    (probe / "engine" / "model" / "shortcut.py").write_text("from ..audit import verify  # wrong way\n")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    text = _ini(config).replace("maatwerk.", "probe.")
    (tmp_path / "probe.ini").write_text(text)
    done = _lint(tmp_path / "probe.ini", tmp_path, extra_path=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "engine layers: audit > log > evaluate > rules > model BROKEN" in done.stdout
    assert "probe.engine.model.shortcut -> probe.engine.audit.verify (l.1)" in done.stdout


def _ini(config: dict) -> str:
    """The pyproject contracts as an .importlinter INI file (for the probe above)."""
    def entry(key, value) -> str:
        return f"{key} =" + "".join(f"\n    {v}" for v in value) if isinstance(value, list) \
            else f"{key} = {value}"
    sections = [("importlinter", {k: v for k, v in config.items() if k != "contracts"})]
    sections += [(f"importlinter:contract:{i}", c) for i, c in enumerate(config["contracts"])]
    return "\n\n".join(f"[{name}]\n" + "\n".join(entry(k, v) for k, v in body.items())
                       for name, body in sections) + "\n"


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start) & modules)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_import_cycle_anywhere():
    roots = [name for name, folder in PACKAGES.items() if folder.exists()]
    graph = grimp.build_graph(*roots, cache_dir=None)
    assert _cycles(graph, set(graph.modules)) == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for a, b in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph, set(graph.modules)) == [["p.a", "p.b", "p.c"]]


def _trees():
    for path in _sources():
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_no_private_name_crosses_a_module_border():
    crossing = [f"{p.relative_to(ROOT)}:{node.lineno} imports {alias.name}"
                for p, tree in _trees() for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.level or "maatwerk" in (node.module or ""))
                for alias in node.names if alias.name.startswith("_") and alias.name != "__version__"]
    assert crossing == []


ENVIRONMENT = {("os", "environ"), ("os", "getenv"), ("sys", "stdout"), ("sys", "stderr"),
               ("sys", "argv"), ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"),
               ("time", "time")}


def test_only_the_edges_read_the_environment_or_print():
    found = []
    for path, tree in _trees():
        if path.relative_to(ROOT).parts[0] in EDGES:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} print")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and (node.value.id, node.attr) in ENVIRONMENT:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """A command's docstring is its --help text, not code: it does not count."""
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str):
        return first.end_lineno - first.lineno + 1
    return 0


def test_modules_and_functions_stay_small():
    too_long = []
    for path, tree in _trees():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1 - _docstring_lines(node)
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


@pytest.mark.parametrize("layer", ["model", "rules", "evaluate", "evaluate/backends", "log",
                                   "log/store", "audit"])
def test_every_layer_says_what_it_holds_and_may_import(layer):
    doc = ast.get_docstring(ast.parse((ROOT / "engine" / layer / "__init__.py").read_text()))
    assert doc and len(doc) > 60
