"""HTML to PDF with a real browser engine: headless Chromium's own print-to-PDF.

The page is our own self-contained HTML (inline CSS and SVG, no scripts, no external
files), written to a private temporary folder; Chromium prints it with the page's
`@media print` rules, so the PDF looks like the printed dossier.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120


class PdfError(RuntimeError):
    """No browser to print with, or the browser failed."""


def find_chromium() -> str:
    """LEDENRADAR_CHROMIUM, else the first Chromium or Chrome on the PATH."""
    configured = os.environ.get("LEDENRADAR_CHROMIUM")
    if configured:
        return configured
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    raise PdfError(
        "Geen Chromium gevonden om een PDF te maken: installeer chromium of zet "
        "LEDENRADAR_CHROMIUM op het pad naar de browser."
    )


def html_to_pdf(html: str, browser: str | None = None) -> bytes:
    browser = browser or find_chromium()
    with tempfile.TemporaryDirectory(prefix="ledenradar-pdf-") as folder:
        page, pdf = Path(folder, "page.html"), Path(folder, "page.pdf")
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to start as root with its sandbox (containers); the page is
            # our own escaped HTML without scripts.
            command.insert(1, "--no-sandbox")
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfError(f"Chromium kon de PDF niet maken: {error}") from error
        if not pdf.exists() or not pdf.read_bytes().startswith(b"%PDF"):
            tail = result.stderr.decode(errors="replace")[-500:]
            raise PdfError(f"Chromium maakte geen PDF (exit {result.returncode}): {tail}")
        return pdf.read_bytes()
