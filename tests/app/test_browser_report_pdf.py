"""One-click PDF of the printable report (issue 13 item 8), downloaded in Chromium and opened with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.report_pdf import chromium_path
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_pdf_download_is_the_printable_report(page, default_scenario):
    pypdf = pytest.importorskip("pypdf")
    if chromium_path() is None:
        pytest.skip("no Chromium to print with")
    out = rank_scenario(default_scenario)
    bs.goto_page(page, "Scenarios & export")
    with page.expect_download(timeout=180_000) as d:
        page.get_by_role("button", name="Report (PDF)").click()
    assert d.value.suggested_filename.endswith(".pdf")
    data = Path(d.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    # A4 portrait pages; the report (header, method, ranking, why, shortlist, sources, robustness) spans several
    assert len(reader.pages) >= 4, len(reader.pages)
    w, h = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(w - 595) < 3 and abs(h - 842) < 3, (w, h)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for phrase in ("Sources and years", "Robustness", "World Bank WDI NY.GDP.MKTP.CD", "TOPSIS"):
        assert phrase in text, phrase
    for name in out.countries.loc[out.shortlist.index, "country"]:
        assert name in text, name
    bs.screenshot(page, "report-pdf-button")
