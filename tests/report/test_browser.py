"""
A real browser renders the demo report: headless Chromium to PNG and, via print, to PDF.

Skipped only when no Chromium is installed *and* the ``CI`` variable is unset; in CI the test
must run (``.ci/run`` installs Debian's ``chromium``). The PNG of the demo report is kept as an
artefact at ``build/report-demo.png``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

from communitykit.io import ReadResult
from communitykit.report import build

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTEFACT = ROOT / "build" / "report-demo.png"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CONSOLE_ERRORS = (
    "Uncaught",
    "ERROR:CONSOLE",
    "Failed to load resource",
    "Refused to load",
    "net::ERR_",
)


def _chromium() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but no Chromium is installed (apt-get install chromium)")
    pytest.skip("Chromium is not installed (and not in CI)")
    raise AssertionError  # pragma: no cover - pytest.skip raises


def _run(browser: str, profile: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if any(m in line for m in CONSOLE_ERRORS)]


@pytest.fixture(scope="module", name="rendered")
def _rendered(tmp_path_factory):
    browser = _chromium()
    from communitykit.datasets import demo

    data = demo()
    result = ReadResult(
        events=data.events, rows_read=len(data.events), source="demo", directory=data.directory
    )
    report = build(result, directory=data.directory)
    folder = tmp_path_factory.mktemp("browser")
    page = report.save(folder / "report.html")
    png = folder / "report.png"
    pdf = folder / "report.pdf"
    shot = _run(
        browser,
        folder / "profile-png",
        f"--screenshot={png}",
        "--window-size=1280,2000",
        page.as_uri(),
    )
    printed = _run(
        browser,
        folder / "profile-pdf",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.as_uri(),
    )
    return {"png": png, "pdf": pdf, "shot": shot, "printed": printed}


class TestBrowser:
    @pytest.mark.slow
    def test_screenshot_renders_without_console_errors(self, rendered):
        """Chromium renders the page to a PNG and reports no console or load error."""
        shot = rendered["shot"]

        assert shot.returncode == 0, shot.stderr[-2000:]
        assert rendered["png"].exists()
        assert _console_errors(shot.stderr) == []

    def test_screenshot_is_not_blank(self, rendered):
        """The PNG has the window's size and real content: ink, colour and variance."""
        import matplotlib.image as mpimg

        pixels = mpimg.imread(rendered["png"])[..., :3]

        assert pixels.shape[:2] == (2000, 1280)
        ink = (pixels < 0.85).any(axis=2).mean()
        assert 0.02 < ink < 0.6  # text, tables and cards; not an empty or black page
        assert float(pixels.std()) > 0.05
        colourful = (np.ptp(pixels, axis=2) > 0.2).mean()  # traffic lights, sparklines
        assert colourful > 0.0005
        ARTEFACT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(rendered["png"], ARTEFACT)

    def test_prints_to_pdf(self, rendered):
        """Printing gives a multi-page PDF (the print style sheet breaks pages per section)."""
        printed = rendered["printed"]

        assert printed.returncode == 0, printed.stderr[-2000:]
        data = rendered["pdf"].read_bytes()
        assert data.startswith(b"%PDF")
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
        assert pages >= 3
        assert _console_errors(printed.stderr) == []
