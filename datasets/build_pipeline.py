"""Build the ILLUSTRATIVE pipeline of candidate projects shipped with the example programme
(scenarios/examples/pipelines/illustrative.csv). Run: ``python -m datasets.build_pipeline``.

Rule (derived, nothing typed in):
- countries: the shortlists of the shipped scenarios (scenarios/default.json and scenarios/paper_2022.json,
  ranked by the one ranking path), in shortlist order;
- one project per (country, enabled project type);
- commitment_musd: the type's ``min_size_musd`` in datasets/project_types.csv (its source column says
  whether that size is sourced or an assumption). ../shared/data holds no project-size *distribution*
  (raw/aiddata_gcdf3 has country totals of commitments 2000-2021, not project sizes), so no other size
  is derived;
- start_year_min: the programme's first year (2026); disbursement: blank (the type's profile in
  datasets/disbursement_profiles.csv);
- requires: health requires rural_poverty in the same country (the paper's proposal: health projects
  joined to the rural poverty-reduction work, section 4); must: blank;
- source: "illustrative: ..." naming the size's source, so every output marks the pipeline illustrative.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scenarios" / "examples" / "pipelines" / "illustrative.csv"
SCENARIOS = ("default.json", "paper_2022.json")
START_YEAR = 2026


def shortlisted() -> list[str]:
    """The union of the shipped scenarios' shortlists, in order."""
    from fulcrum.pipeline import rank_scenario
    from fulcrum.scenario import load_scenario

    out: list[str] = []
    for name in SCENARIOS:
        outcome = rank_scenario(load_scenario(ROOT / "scenarios" / name))
        for c in outcome.shortlist.index if hasattr(outcome.shortlist, "index") else []:
            if c not in out:
                out.append(str(c))
    return out


def build() -> pd.DataFrame:
    """The pipeline table."""
    types = pd.read_csv(ROOT / "datasets" / "project_types.csv")
    rows = []
    for c in shortlisted():
        for t in types.itertuples():
            pid = f"{c}-{t.project_type}"
            pool = "aid" if float(t.aid_share) >= 0.5 else "investment"
            src = str(t.min_size_source)
            rows.append(
                {
                    "project_id": pid,
                    "country": c,
                    "project_type": t.project_type,
                    "pool": pool,
                    "commitment_musd": float(t.min_size_musd),
                    "start_year_min": START_YEAR,
                    "disbursement": "",
                    "requires": f"{c}-rural_poverty" if t.project_type == "health" else "",
                    "must": "",
                    "source": "illustrative: size = datasets/project_types.csv min_size_musd ("
                    + ("assumption" if src.lower().startswith("assumption") else "sourced")
                    + f"); pool = the type's larger share (aid_share {float(t.aid_share):g})",
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    """Write the pipeline file."""
    from mcda.export import to_csv

    to_csv(build(), OUT, make_parents=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
