"""The allocation tests' instance (the fixtures `types` and `countries` of conftest.py build it):
a two-country, two-type instance small enough to solve by hand (see
tests/optimisation/test_handsolved.py), and the InputError assertion helper."""

import pandas as pd
import pytest

from mcda.errors import InputError

PRI = pd.Series({"A": 0.6, "B": 0.4})
BUDGETS = {"budget_aid_musd": 25, "budget_investment_musd": 40}
BASE = {**BUDGETS, "absorptive_cap_pct_gdp": None}  # the budgets, no cap by share of GDP


def two_types(min_sizes=(4.0, 8.0), need=("none", "none"), transform=("none", "none")) -> pd.DataFrame:
    """Type g: all aid, bands 10 @ 1 then 10 @ 0.5; type i: all investment, one band 30 @ 1."""
    return pd.DataFrame(
        {
            "aid_share": [1.0, 0.0],
            "impact_per_musd": [1.0, 1.0],
            "segment_breaks_musd": ["10;20", "30"],
            "segment_marginals": ["1;0.5", "1"],
            "min_size_musd": list(min_sizes),
            "need_indicator": list(need),
            "need_transform": list(transform),
        },
        index=pd.Index(["g", "i"], name="project_type"),
    )


def two_countries(**extra) -> pd.DataFrame:
    return pd.DataFrame({"country": ["Aland", "Bland"], "gdp": [1e12, 1e12], **extra}, index=["A", "B"])


def raises(where_part, fn, *a, **k) -> str:
    """Call fn, expect an InputError whose message contains where_part; return the message."""
    with pytest.raises(InputError) as ei:
        fn(*a, **k)
    assert where_part in str(ei.value), str(ei.value)
    return str(ei.value)
