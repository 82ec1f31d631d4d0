"""User text in report.md and report.html is rendered as text (issue 8, item 3).

Scenario name and description, ids, country names, a criterion name, filter and exclusion reasons
carry HTML (<script>, <img onerror>), markdown (links, images, emphasis, headings, list markers,
table pipes) and line breaks. report.md is rendered with a CommonMark renderer (markdown-it-py, with
GitHub's tables and strikethrough) and report.html parsed as HTML: neither may contain an element or
attribute that came from the data, and the rendered text must read back exactly what the user wrote.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.support.cli import run_cli

NAME = "<script>alert('name')</script> # Plan *A* | $x$"
DESCRIPTION = (
    "First line with <b>bold</b> & [a link](http://evil.example)\n# not a heading\n"
    "- not a list\n1. not a list either\n    not code\n<img src=x onerror=alert(2)>\n==="
)
IDS = ["<x>", "[id](http://evil)", "-2+3", "A|B", "_u_", "OK"]
COUNTRIES = ["<img src=x onerror=alert(1)>", "![pic](http://evil/p.png)", "**bold**", "`code`", "~~gone~~", "Peru"]
FILTER_REASON = "no <b>relations</b> & a [link](javascript:alert(3)) — see # 3"
EXCLUSION_REASON = "<iframe src=http://evil></iframe> *manual*"
CRITERION = "<gdp>_x_"


HOSTILE = {
    "name": NAME,
    "description": DESCRIPTION,
    "ids": IDS,
    "countries": COUNTRIES,
    "criterion": CRITERION,
    "filter": FILTER_REASON,
    "exclusion": EXCLUSION_REASON,
}
#: the same report with plain text of the same shape: its rendered structure is what the hostile one must have
BENIGN = {
    "name": "Plan",
    "description": "\n".join(f"line {i}" for i in range(DESCRIPTION.count("\n") + 1)),
    "ids": [f"I{i}" for i in range(6)],
    "countries": [f"C{i}" for i in range(6)],
    "criterion": "crit",
    "filter": "filter reason",
    "exclusion": "exclusion reason",
}


def _scenario(folder: Path, t: dict) -> Path:
    pd.DataFrame(
        {
            "alternative": t["ids"],
            "country": t["countries"],
            "gdp": [10.0, 20, 30, 40, 50, 60],
            t["criterion"]: [1.0, 2, 3, 4, 5, 6],
            "ok": [1, 1, 0, 1, 1, 1],
        }
    ).to_csv(folder / "data.csv", index=False)
    doc = {
        "name": t["name"],
        "description": t["description"],
        "data": {"dataset": "data.csv", "missing": {"default": "error"}},
        "criteria": [
            {"id": "gdp", "direction": "benefit", "weight": 1},
            {"id": t["criterion"], "direction": "benefit", "weight": 1},
        ],
        "shortlist": {
            "top_k": 2,
            "filters": [{"column": "ok", "op": "==", "value": 1, "reason": t["filter"]}],
            "exclusions": [{"id": t["ids"][4], "reason": t["exclusion"]}],
        },
        "allocation": {"budget_aid_musd": 100, "budget_investment_musd": 200},
    }
    (folder / "scenario.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder / "scenario.json"


class _Doc(HTMLParser):
    """Tags, attributes and text of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Doc:
    p = _Doc()
    p.feed(html)
    return p


def _run(folder: Path, t: dict) -> Path:
    r = run_cli("mcda", "run", _scenario(folder, t), "--out", folder / "out")
    assert r.returncode == 0, r.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("hostile"), HOSTILE)


@pytest.fixture(scope="module")
def benign_dir(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("benign"), BENIGN)


def _render(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)


def test_report_md_renders_user_text_as_text(run_dir, benign_dir):
    doc = _parse(_render((run_dir / "report.md").read_text(encoding="utf-8")))
    plain = _parse(_render((benign_dir / "report.md").read_text(encoding="utf-8")))
    assert doc.tags == plain.tags  # the same elements and attributes as the report of plain text: none from data
    text = "".join(doc.text)
    for s in [NAME, FILTER_REASON, EXCLUSION_REASON, CRITERION, *IDS, *COUNTRIES]:
        assert s in text, s  # and every string reads back exactly as written
    for line in DESCRIPTION.split("\n"):
        assert line.strip() in text, line


def test_md_text_escapes_every_markdown_and_html_construct():
    from fulcrum.markdown import md_table, md_text

    rendered = _parse(_render(md_text("a <b>x</b> & [l](u) ![i](p) *e* _f_ `c` ~~s~~ # h \\ | $m$")))
    assert [t for t, _ in rendered.tags] == ["p"]
    assert "".join(rendered.text).strip() == "a <b>x</b> & [l](u) ![i](p) *e* _f_ `c` ~~s~~ # h \\ | $m$"
    assert (
        md_text("gdp_per_capita, Trinidad and Tobago (TTO), 20% of total")
        == "gdp_per_capita, Trinidad and Tobago (TTO), 20% of total"
    )  # ordinary text stays as written
    table = md_table(pd.DataFrame({"id": ["A|B", "-2"], "score": [-0.5, 1.0], "rank": [2, 1]}))
    cells = _parse(_render(table))
    assert [t for t, _ in cells.tags].count("td") == 6
    assert "A|B" in cells.text and "-2" in cells.text and "-0.5000" in cells.text


def test_report_html_has_no_element_or_attribute_from_the_data(run_dir, benign_dir):
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    doc = _parse(html)
    tags = [t for t, _ in doc.tags]
    assert tags == [t for t, _ in _parse((benign_dir / "report.html").read_text(encoding="utf-8")).tags]
    assert "script" not in tags and "iframe" not in tags and "a" not in tags and "b" not in tags
    assert all(attrs.get("src", "").startswith("data:image/png;base64,") for t, attrs in doc.tags if t == "img")
    assert not any(k.startswith("on") for _, attrs in doc.tags for k in attrs)
    alts = {attrs.get("alt") for t, attrs in doc.tags if t == "img"}
    assert all(a and "<" not in a and "evil" not in a for a in alts), alts
    text = "".join(doc.text)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert _parse(title).text == [NAME] or "".join(_parse(title).text) == NAME
    for s in [NAME, FILTER_REASON, EXCLUSION_REASON, *IDS, *COUNTRIES]:
        assert s in text, s
