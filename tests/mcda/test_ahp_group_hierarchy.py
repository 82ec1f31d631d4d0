"""AHP group judgements (geometric mean, Aczél & Saaty 1983) and the two-level hierarchy."""

import numpy as np
import pandas as pd
import pytest

from mcda.ahp import aggregate_judgements, analyse, consistent_matrix, from_judgements, hierarchy_weights
from mcda.ahp_hierarchy import weights_from_spec
from mcda.errors import InconsistentJudgementsWarning, InputError

ITEMS = ["econ", "pol", "geo"]


def expert1():
    return from_judgements([("econ", "pol", 3), ("econ", "geo", 5), ("pol", "geo", 2)], items=ITEMS)


def expert2():
    return from_judgements([("econ", "pol", "1/3"), ("econ", "geo", 1), ("pol", "geo", 4)], items=ITEMS)


def test_two_experts_geometric_mean_is_elementwise_sqrt_of_product():
    # Aczél & Saaty (1983): aggregate individual judgements by the geometric mean.
    a, b = expert1(), expert2()
    g = aggregate_judgements([a, b])
    # hand values: (econ, pol) = sqrt(3 * 1/3) = 1; (econ, geo) = sqrt(5 * 1) = sqrt(5);
    # (pol, geo) = sqrt(2 * 4) = sqrt(8)
    assert g.loc["econ", "pol"] == pytest.approx(1.0)
    assert g.loc["econ", "geo"] == pytest.approx(np.sqrt(5))
    assert g.loc["pol", "geo"] == pytest.approx(np.sqrt(8))
    np.testing.assert_allclose(g.to_numpy(), np.sqrt(a.to_numpy() * b.to_numpy()), rtol=1e-14)
    np.testing.assert_allclose(g.to_numpy() * g.to_numpy().T, 1.0, rtol=0, atol=1e-14)  # stays reciprocal
    np.testing.assert_array_equal(np.diag(g.to_numpy()), 1.0)
    analyse(g, warn=False)  # on the scale, valid


def test_weighted_geometric_mean_and_named_experts():
    a, b = expert1(), expert2()
    g = aggregate_judgements({"ana": a, "ben": b}, {"ana": 3, "ben": 1})
    # (econ, geo) = 5^(3/4) * 1^(1/4)
    assert g.loc["econ", "geo"] == pytest.approx(5**0.75)
    assert g.loc["econ", "pol"] == pytest.approx(3**0.75 * (1 / 3) ** 0.25)
    with pytest.raises(InputError, match="no weight for expert"):
        aggregate_judgements({"ana": a, "ben": b}, {"ana": 1})
    with pytest.raises(InputError, match="all expert weights are zero"):
        aggregate_judgements([a, b], [0, 0])
    with pytest.raises(InputError, match="finite and >= 0"):
        aggregate_judgements([a, b], [1, -1])


def test_aggregation_rejects_different_items_or_order():
    a = expert1()
    other_order = a.loc[["pol", "econ", "geo"], ["pol", "econ", "geo"]]
    with pytest.raises(InputError, match="same items as expert 1 but in a different order"):
        aggregate_judgements([a, other_order])
    other = from_judgements([("econ", "pol", 3), ("econ", "dist", 5), ("pol", "dist", 2)])
    with pytest.raises(
        InputError, match=r"judges different items than expert 1 \(missing: geo; not in expert 1: dist\)"
    ):
        aggregate_judgements([a, other])
    with pytest.raises(InputError, match="no judgement matrices"):
        aggregate_judgements([])


# --- two-level hierarchy ---------------------------------------------------------------------


def test_hierarchy_global_weights_multiply_through_and_sum_to_one():
    # Groups: consistent (2, 1, 1) -> group priorities (0.5, 0.25, 0.25).
    groups = consistent_matrix({"economic": 2, "political": 1, "geographic": 1})
    within = {
        "economic": consistent_matrix({"gdp": 3, "gdp_pc": 1}),  # local (0.75, 0.25)
        "political": consistent_matrix({"wgi_ge": 1, "wgi_rl": 1, "wgi_cc": 2}),  # local (0.25, 0.25, 0.5)
        "geographic": "distance",  # one criterion: no matrix needed, local 1
    }
    h = hierarchy_weights(groups, within)
    expected = {
        "gdp": 0.5 * 0.75,
        "gdp_pc": 0.5 * 0.25,
        "wgi_ge": 0.25 * 0.25,
        "wgi_rl": 0.25 * 0.25,
        "wgi_cc": 0.25 * 0.5,
        "distance": 0.25 * 1.0,
    }
    assert h.global_weights.to_dict() == pytest.approx(expected, abs=1e-12)
    assert h.global_weights.sum() == pytest.approx(1.0, abs=1e-12)
    t = h.table.set_index("criterion")
    np.testing.assert_allclose(t["global"], t["local"] * t["group_weight"], rtol=0, atol=1e-15)
    assert list(h.table.columns) == ["group", "criterion", "local", "group_weight", "global"]
    assert set(h.consistency["group"]) == {"(groups)", "economic", "political", "geographic"}
    assert h.consistency["cr"].abs().max() < 1e-9 and h.consistent
    assert h.within["geographic"] is None
    d = h.to_dict()
    assert d["global_weights"]["distance"] == pytest.approx(0.25)


def test_hierarchy_reports_each_level_cr_and_names_the_group_in_warnings():
    bad = consistent_matrix({"a": 8, "b": 4, "c": 2, "d": 1})
    bad.loc["a", "d"], bad.loc["d", "a"] = 1 / 8, 8.0
    groups = consistent_matrix({"economic": 1, "political": 1})
    with pytest.warns(InconsistentJudgementsWarning, match="group 'political'"):
        h = hierarchy_weights(groups, {"economic": ["gdp"], "political": bad})
    row = h.consistency.set_index("group").loc["political"]
    assert row["cr"] > 0.10 and not row["consistent"] and not h.consistent


def test_hierarchy_errors():
    with pytest.raises(InputError, match="2 groups but no group-level judgement matrix"):
        hierarchy_weights(None, {"economic": ["gdp"], "political": ["wgi"]})
    with pytest.raises(InputError, match="group 'economic' has 2 criteria but no judgement matrix"):
        hierarchy_weights(None, {"economic": ["gdp", "gdp_pc"]})
    with pytest.raises(InputError, match="groups without a row in the group matrix: geographic"):
        hierarchy_weights(
            consistent_matrix({"economic": 1, "political": 1}),
            {"economic": ["gdp"], "political": ["wgi"], "geographic": ["dist"]},
        )
    with pytest.raises(InputError, match="criterion 'gdp' is in two groups"):
        hierarchy_weights(
            consistent_matrix({"economic": 1, "political": 1}), {"economic": ["gdp"], "political": ["gdp"]}
        )
    h = hierarchy_weights(None, {"only": consistent_matrix({"x": 1, "y": 3})})
    assert h.global_weights.to_dict() == pytest.approx({"x": 0.25, "y": 0.75})


def test_weights_from_scenario_spec_aggregates_experts():
    from fulcrum.scenario import AHPSpec

    spec = AHPSpec.model_validate(
        {
            "groups": {"economic": ["gdp", "gdp_pc"], "political": ["wgi_cc"]},
            "experts": [
                {
                    "name": "ana",
                    "groups": [{"a": "economic", "b": "political", "value": 3}],
                    "within": {"economic": [{"a": "gdp", "b": "gdp_pc", "value": 2}]},
                },
                {
                    "name": "ben",
                    "groups": [{"a": "economic", "b": "political", "value": 1 / 3}],
                    "within": {"economic": [{"a": "gdp", "b": "gdp_pc", "value": 8}]},
                },
            ],
        }
    )
    h = weights_from_spec(spec)
    # groups: sqrt(3 * 1/3) = 1 -> (0.5, 0.5); economic: sqrt(2 * 8) = 4 -> (0.8, 0.2)
    assert h.global_weights.to_dict() == pytest.approx({"gdp": 0.4, "gdp_pc": 0.1, "wgi_cc": 0.5}, abs=1e-12)
    assert set(h.expert_consistency["expert"]) == {"ana", "ben"}


def test_weights_from_spec_groups_from_criteria_metadata_and_errors():
    from fulcrum.scenario import AHPSpec

    crit = pd.DataFrame(
        {"direction": ["benefit"] * 3, "group": ["economic", "economic", "political"]},
        index=["gdp", "gdp_pc", "wgi_cc"],
    )
    spec = AHPSpec.model_validate(
        {
            "experts": [
                {
                    "groups": [{"a": "economic", "b": "political", "value": 1}],
                    "within": {"economic": [{"a": "gdp", "b": "gdp_pc", "value": 1}]},
                }
            ]
        }
    )
    h = weights_from_spec(spec, crit)
    assert h.global_weights.to_dict() == pytest.approx({"gdp": 0.25, "gdp_pc": 0.25, "wgi_cc": 0.5})
    missing = AHPSpec.model_validate({"experts": [{"groups": [{"a": "economic", "b": "political", "value": 1}]}]})
    with pytest.raises(InputError, match=r"within.economic.*\(gdp, gdp_pc\)"):
        weights_from_spec(missing, crit)
    with pytest.raises(InputError, match="no 'group' column"):
        weights_from_spec(spec, crit.drop(columns="group"))
