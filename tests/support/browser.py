"""Playwright on the system Chromium for the page tests: launch, log in, axe, screenshots.

No browser is ever downloaded: Chromium is /usr/bin/chromium (or on PATH). Without it the
page tests skip, except with MAATWERK_REQUIRE_CHROMIUM=1 (set by .ci/run): then they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "een-lang-wachtwoord-voor-de-test"
AXE_OPTIONS = {"resultTypes": ["violations"]}


def chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "",
                      shutil.which("chromium-browser") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch(playwright):
    path = chromium()
    if path is None:
        if os.environ.get("MAATWERK_REQUIRE_CHROMIUM") == "1":
            pytest.fail("Chromium is vereist (MAATWERK_REQUIRE_CHROMIUM=1) maar niet gevonden")
        pytest.skip("Chromium niet gevonden; installeer het pakket chromium")
    return playwright.chromium.launch(executable_path=path, args=ARGS)


def login(page, url: str, naam: str, target: str = "/voorstel") -> None:
    page.goto(url + target)
    page.fill("#gebruiker", naam)
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page, as 'rule: target' lines (empty: none)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


class Shots:
    """Screenshots of each page into one folder the test names."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def take(self, page, name: str, full: bool = True) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full)
        self.taken.append(path)
        return path


def screenshot_folder(tmp_path_factory) -> Path:
    """MAATWERK_SCREENSHOTS, else a folder under pytest's tmp (printed by the test)."""
    named = os.environ.get("MAATWERK_SCREENSHOTS")
    return Path(named) if named else tmp_path_factory.mktemp("schermafdrukken")


_STATES: dict[tuple[str, str], dict] = {}


def context_as(browser, url: str, naam: str, **options):
    """A new browser context logged in as `naam` (logs in once per server, then reuses
    the session cookie: sessions are per person, not per page)."""
    key = (url, naam)
    defaults = {"viewport": {"width": 1400, "height": 1000}, "locale": "nl-NL"}
    if key not in _STATES:
        context = browser.new_context(**defaults)
        page = context.new_page()
        login(page, url, naam, "/")
        _STATES[key] = context.storage_state()
        context.close()
    context = browser.new_context(storage_state=_STATES[key], **{**defaults, **options})
    context.set_default_timeout(15_000)
    return context
