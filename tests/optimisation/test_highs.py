"""`solver: highs` is a runtime option, so HiGHS must be a runtime dependency and give, through
PuLP, the same allocation as CBC on the shipped paper scenario (issue 8, item 15)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.support import ROOT

REL = 1e-6  # CBC returns values to about 8 significant digits (DESIGN.md)


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s#;]+)", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_highspy_is_a_pinned_runtime_dependency():
    """The environment `make run` builds installs requirements.txt only: a scenario with
    `solver: highs` failed there because highspy was pinned in requirements-dev.txt."""
    from optimisation.spec import AllocationSpec

    assert "highs" in AllocationSpec.model_fields["solver"].annotation.__args__
    runtime = _pins(ROOT / "requirements.txt")
    assert "highspy" in runtime, "highspy must be pinned in requirements.txt (solver: highs is a runtime option)"
    from importlib.metadata import version

    import highspy  # noqa: F401  (installed as pinned)

    assert version("highspy") == runtime["highspy"]
    assert "highspy" not in _pins(ROOT / "requirements-dev.txt")  # one pin, in one place


@pytest.fixture(scope="module")
def paper(shipped):
    from fulcrum.allocate import spec_of

    return shipped.outcome("paper_2022_single_track"), spec_of(shipped.scenario("paper_2022_single_track"))


def _tie_classes(model) -> dict[tuple, str]:
    """Project types the model cannot tell apart in a country (same aid share, same benefit bands
    and band widths): an LP may split money between them in any way, so CBC and HiGHS are compared
    on their sum. Built from the model's own parameters, per country."""
    prep = model.prep
    out = {}
    for c in prep.countries:
        for p in prep.types:
            key = (
                prep.aid_share[p],
                tuple(np.round(prep.widths[c, p], 12)),
                tuple(np.round(np.asarray(prep.base[c, p]) * prep.priority[c], 12)),
            )
            out[c, p] = str(hash(key))
    return out


def test_highs_gives_the_cbc_allocation_on_the_paper_scenario(paper):
    from fulcrum.allocate import model_for_outcome

    outcome, spec = paper
    res = {}
    for solver in ("cbc", "highs"):
        m = model_for_outcome(outcome, spec.model_copy(update={"solver": solver}))
        res[solver] = m.solve()
        assert res[solver].status == "optimal", solver
    cbc, highs = res["cbc"], res["highs"]
    assert highs.objective == pytest.approx(cbc.objective, rel=REL)
    for pool in ("aid", "investment"):
        assert highs.by_pool[pool] == pytest.approx(cbc.by_pool[pool], rel=REL)
    pd.testing.assert_series_equal(highs.by_country["total_musd"], cbc.by_country["total_musd"], rtol=REL)
    # pair by pair, with project types the model cannot tell apart summed (alternative optima)
    cls = _tie_classes(m)

    def by_class(r):
        a = r.allocation.assign(
            cls=[cls[c, p] for c, p in zip(r.allocation["country"], r.allocation["project_type"], strict=False)]
        )
        return a.groupby(["country", "cls"])[["aid_musd", "investment_musd", "total_musd", "benefit"]].sum()

    pd.testing.assert_frame_equal(by_class(highs), by_class(cbc), rtol=REL, atol=1e-6)
    # and pairs of a type with no twin are equal one by one
    twins = pd.Series(cls).groupby(pd.Series(cls)).transform("size")
    alone = [k for k, v in twins.items() if v == 1]
    a_c = cbc.allocation.set_index(["country", "project_type"]).loc[alone, "total_musd"]
    a_h = highs.allocation.set_index(["country", "project_type"]).loc[alone, "total_musd"]
    np.testing.assert_allclose(a_h.to_numpy(), a_c.to_numpy(), rtol=REL, atol=1e-6)
