"""ELECTRE III tables in the exports (issue 10, gap 4c): concordance, credibility and the distillation
pre-orders in report.md, report.html and results.xlsx when the method (or a track's) is electre3; none
otherwise. The numbers are checked against the method's own explain tables and Roy's formulas."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from fulcrum.pipeline import method_of, rank_scenario
from fulcrum.report import markdown_report, xlsx_bytes
from fulcrum.report_electre import electre_html
from fulcrum.scenario import load_scenario, parse_scenario
from tests.support import ROOT

EXAMPLE = ROOT / "scenarios" / "examples" / "electre3_vetoes.json"


def test_run_writes_the_electre_tables(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("mcda", "run", str(EXAMPLE), "--out", str(out), "--no-allocation")
    assert r.returncode == 0, r.stderr
    o = rank_scenario(load_scenario(EXAMPLE))
    ex = method_of(o.scenario).explain(o.problem, o.weights)
    book = pd.read_excel(out / "results.xlsx", sheet_name=None)
    cred = book["electre credibility"].set_index("alternative")
    np.testing.assert_allclose(cred.to_numpy(dtype=float), ex["credibility"].to_numpy(), atol=1e-12)
    dist = book["electre distillation"].set_index("alternative")
    assert dist["final_rank"].tolist() == ex["distillation"]["final_rank"].tolist()
    # the credibility follows Roy's formula from the concordance (no discordance above C: sigma = C)
    conc = book["electre concordance"].set_index("alternative").to_numpy(dtype=float)
    vetoed = {(r.a, r.b) for r in ex["vetoes"].itertuples()}
    ids = list(cred.index)
    free = [(i, j) for i in range(len(ids)) for j in range(len(ids)) if (ids[i], ids[j]) not in vetoed]
    assert all(abs(cred.to_numpy()[i, j] - conc[i, j]) < 1e-12 for i, j in free)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## ELECTRE III: outranking tables" in md and "| alternative | descending_class |" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "id=electre3" in html and "Credibility (row a outranks column b)" in html
    assert "net credibility flow" in method_of(o.scenario).verbose(o.problem, o.weights).lower()


def test_no_electre_tables_for_other_methods(default_outcome):
    assert "ELECTRE III" not in markdown_report(default_outcome)
    assert electre_html(default_outcome) == ""
    assert not [s for s in pd.read_excel(io.BytesIO(xlsx_bytes(default_outcome)), sheet_name=None) if "electre" in s]


def test_a_track_ranked_by_electre3_gets_numbered_sheets():
    doc = json.loads((ROOT / "scenarios" / "paper_2022.json").read_text(encoding="utf-8"))
    doc["tracks"][1]["method"] = {"name": "electre3", "options": {"thresholds": {"*": {"q": 0.02, "p": 0.1}}}}
    o = rank_scenario(parse_scenario(doc, source="test", base_dir=ROOT / "scenarios"))
    sheets = pd.read_excel(io.BytesIO(xlsx_bytes(o)), sheet_name=None)
    assert {"electre 2 credibility", "electre 2 distillation"} <= set(sheets)
    assert not [s for s in sheets if s.startswith("electre 1")]
    assert "### Track 'Need and favourable alignment'" in markdown_report(o)
