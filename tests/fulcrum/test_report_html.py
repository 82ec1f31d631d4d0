"""The printable HTML report (fulcrum.report_html): self-contained (no network), charts embedded as
decodable PNGs, every text escaped, the allocation section present exactly when an allocation is
given, and written by `python -m mcda run`."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest

from fulcrum.report_html import html_report
from fulcrum.run import frontier_for, solve_allocation
from fulcrum.scenario import load_scenario
from tests.support import ROOT

PAPER = ROOT / "scenarios" / "paper_2022_single_track.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_PNG = "data:image/png;base64,"


class _Collect(HTMLParser):
    """Tags, attributes and text of a document; fails on nothing (HTMLParser is lenient), so the
    checks below look at what it found."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.imgs: list[dict] = []
        self.links: list[tuple[str, str]] = []  # (attr, value) of every src/href
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.open = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(a)
        for k in ("src", "href"):
            if k in a:
                self.links.append((k, a[k] or ""))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script":
            raise AssertionError("the report must not contain scripts")

    def handle_data(self, data):
        self.text.append(data)


def _parse(doc: str) -> _Collect:
    p = _Collect()
    p.feed(doc)
    p.close()
    return p


@pytest.fixture(scope="module")
def paper(shipped):
    out = shipped.outcome("paper_2022_single_track")
    return out, solve_allocation(out, shipped.scenario("paper_2022_single_track"))


@pytest.fixture(scope="module")
def with_alloc(paper):
    out, alloc = paper
    return html_report(out, alloc, frontier_for(out, alloc))


def test_the_report_renders_and_never_solves(paper, monkeypatch):
    """Rendering is render-only: with every solve disabled it still renders the given results, and
    without a frontier it draws none (the caller computes it, e.g. fulcrum.run)."""
    import optimisation.model as om

    def no_solving(*a, **k):
        raise AssertionError("the report tried to solve a model")

    monkeypatch.setattr(om.AllocationModel, "solve", no_solving)
    monkeypatch.setattr(om.AllocationModel, "solve_quick", no_solving)
    monkeypatch.setattr(om, "efficient_frontier", no_solving)
    out, alloc = paper
    doc = html_report(out, alloc)
    assert "id=allocation" in doc and "Efficient frontier" not in doc
    doc = html_report(out, alloc, frontier_error="the budget factors are wrong")
    assert "Efficient frontier not drawn: the budget factors are wrong" in doc


@pytest.fixture(scope="module")
def ranking_only(paper):
    return html_report(paper[0])


def _pngs(p: _Collect) -> list[bytes]:
    out = []
    for im in p.imgs:
        src = im.get("src", "")
        assert src.startswith(DATA_PNG), src[:60]
        out.append(base64.b64decode(src[len(DATA_PNG) :], validate=True))
    return out


def test_parses_and_names_the_scenario_and_every_shortlisted_country(paper, with_alloc):
    out, _ = paper
    p = _parse(with_alloc)
    assert with_alloc.startswith("<!DOCTYPE html>")
    assert {"html", "head", "style", "body", "h1", "table", "img"} <= set(p.tags)
    text = " ".join(p.text)
    assert out.scenario.name in text
    short = out.shortlist_table[out.shortlist_table["status"] == "shortlisted"]
    assert len(short) == out.scenario.shortlist.top_k
    for iso in short["alternative"]:
        assert iso in text
        assert out.countries.at[iso, "country"] in text
    # every exclusion carries its reason
    for reason in out.shortlist_table.loc[out.shortlist_table["status"] == "excluded", "reason"].unique():
        assert reason in text


def test_charts_are_embedded_decodable_pngs(with_alloc, ranking_only):
    from PIL import Image

    # weights, score bar, map, contributions (+ heatmap, frontier with an optimal allocation)
    for doc, n in ((ranking_only, 4), (with_alloc, 6)):
        p = _parse(doc)
        pngs = _pngs(p)
        assert len(pngs) == n
        for b in pngs:
            assert b.startswith(PNG_MAGIC)
            assert len(b) > 5_000, "a chart PNG this small is probably empty"
            im = Image.open(io.BytesIO(b))
            im.load()
            assert im.width >= 600 and im.height >= 200
        assert all(im.get("alt") for im in p.imgs)


def test_nothing_is_fetched_from_the_network(with_alloc, ranking_only):
    for doc in (with_alloc, ranking_only):
        p = _parse(doc)
        assert p.links, "expected the embedded images"
        for attr, val in p.links:
            assert not re.match(r"\s*(https?:)?//", val, re.I), (attr, val[:80])
            assert val.startswith(("data:", "#")), (attr, val[:80])
        assert "<script" not in doc.lower()
        assert "@import" not in doc and "url(" not in doc.split("</style>")[0]
        assert "<link" not in doc.lower()


def test_allocation_section_present_iff_an_allocation_is_given(paper, with_alloc, ranking_only):
    _, alloc = paper
    assert alloc.ok
    p_with, p_without = _parse(with_alloc), _parse(ranking_only)
    assert "allocation" in p_with.ids and "allocation" not in p_without.ids
    text = " ".join(p_with.text)
    assert "Efficient frontier" in text and "Efficient frontier" not in " ".join(p_without.text)
    # the totals shown are the library's (US$ millions, one decimal)
    assert f"{alloc.by_pool['aid'] + alloc.by_pool['investment']:,.1f}" in text
    for line in alloc.binding:
        assert line in text


def test_infeasible_allocation_shows_the_conflicts_not_a_heatmap(paper):
    from fulcrum.allocate import solve_for_outcome

    out, _ = paper
    # a health floor of US$5,000M cannot be met from a US$1,000M budget
    res = solve_for_outcome(
        out, {"budget_aid_musd": 300, "budget_investment_musd": 700, "type_floors": {"health": {"musd": 5000}}}
    )
    assert res.status == "infeasible"
    doc = html_report(out, res)
    p = _parse(doc)
    text = " ".join(p.text)
    assert "allocation" in p.ids
    assert res.status in text
    assert "Efficient frontier" not in text
    assert len(_pngs(p)) == 4
    assert res.conflicts and "per-type floors" in text
    for c in res.conflicts:
        assert c["label"] in text


def test_special_characters_are_escaped(paper):
    out, _ = paper
    nasty = 'Plan <script>alert("x")</script> & <b>bold</b> $5 "quoted"'
    sc = out.scenario.model_copy(update={"name": nasty, "description": "<img src=http://evil.example/x.png> & more"})
    countries = out.countries.copy()
    first = out.ranking.sort_values("rank")["alternative"].iloc[0]
    countries.loc[first, "country"] = "<i>Tricky</i> & Co"
    doc = html_report(dataclasses.replace(out, scenario=sc, countries=countries))
    assert "<script>" not in doc and "<b>bold</b>" not in doc and "<i>Tricky</i>" not in doc
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in doc
    assert "&lt;i&gt;Tricky&lt;/i&gt; &amp; Co" in doc
    p = _parse(doc)
    assert nasty in " ".join(p.text)  # the parser reads back exactly the original text
    assert all(v.startswith("data:") for _, v in p.links)  # the injected <img> is text, not a tag


def test_same_inputs_give_the_same_bytes(paper, ranking_only):
    assert html_report(paper[0]) == ranking_only


def test_mcda_run_writes_report_html(tmp_path, cli):
    r = cli("mcda", "run", PAPER, "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    f = tmp_path / "report.html"
    assert f.is_file()
    doc = f.read_text(encoding="utf-8")
    p = _parse(doc)
    sc = load_scenario(PAPER)
    assert sc.name in " ".join(p.text)
    assert "allocation" in p.ids  # the scenario has an allocation section
    assert len(_pngs(p)) == 6
    for name in ("report.md", "results.xlsx", "ranking.csv", "shortlist.csv"):
        assert (tmp_path / name).is_file()
