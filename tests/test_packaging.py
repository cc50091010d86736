"""The wheel holds every subpackage and every bundled ruleset (setuptools does not discover them)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = {"engine": "maatwerk.engine", "cli": "maatwerk.cli", "rulesets": "maatwerk.rulesets",
       "web": "maatwerk.web"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folders() -> dict[str, Path]:
    """Every folder with an __init__.py under the top-level packages, by package name."""
    found = {}
    for folder, package in TOP.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found[".".join([package, *rel.parts])] = init.parent
    return found


def test_every_folder_is_a_listed_package():
    config = _config()
    assert sorted(config["packages"]) == sorted(_folders())
    for package, folder in _folders().items():
        assert _mapped(config["package-dir"], package).resolve() == folder.resolve()


def _mapped(package_dir: dict[str, str], package: str) -> Path:
    """Where setuptools looks for a package: its nearest mapped ancestor plus the rest."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        root = ".".join(parts[:cut])
        if root in package_dir:
            return ROOT / package_dir[root] / Path(*parts[cut:])
    raise AssertionError(f"{package} is under no package-dir entry")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, timeout=300)
    return zipfile.ZipFile(next(out.glob("maatwerk-*.whl")))


def test_wheel_holds_every_subpackage(wheel):
    names = set(wheel.namelist())
    for package in _folders():
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    assert not any(n.startswith(("tests/", "engine/", "cli/")) for n in names)


def test_wheel_holds_every_ruleset(wheel):
    names = set(wheel.namelist())
    rulesets = sorted((ROOT / "rulesets").rglob("*.yaml"))
    assert rulesets, "the bundle has rulesets"
    for path in rulesets:
        assert f"maatwerk/rulesets/{path.relative_to(ROOT / 'rulesets').as_posix()}" in names


def test_wheel_holds_the_templates(wheel):
    names = set(wheel.namelist())
    for path in sorted((ROOT / "web" / "templates").glob("*.html")):
        assert f"maatwerk/web/templates/{path.name}" in names


def test_wheel_declares_the_console_script(wheel):
    entry = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "maatwerk = maatwerk.cli.main:main" in wheel.read(entry).decode()
