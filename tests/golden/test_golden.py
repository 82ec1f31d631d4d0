"""Golden outputs: the command line writes what it wrote when the goldens were recorded.

Every file `mcda run` and `optimisation solve` write for the shipped scenarios, and the `rank`,
`ahp` and `smaa` outputs on fixed inputs (tests/golden/inputs/), in canonical form (see
tests/golden/golden.py). A refactor must leave them unchanged; a deliberate change regenerates
them with `.venv/bin/python -m tests.golden.golden update` so the diff is reviewed.
"""

from __future__ import annotations

from tests.golden.golden import EXPECTED, compare, produce


def test_command_line_outputs_match_the_goldens(tmp_path):
    produce(tmp_path)
    diffs = compare(EXPECTED, tmp_path)
    assert not diffs, "outputs changed (regenerate the goldens if deliberate):\n" + "\n".join(diffs[:20])


def test_the_comparison_sees_a_changed_number(tmp_path):
    """The checker itself: a changed score, a changed word and a missing file are all reported."""
    exp = tmp_path / "exp"
    act = tmp_path / "act"
    for d in (exp, act):
        (d / "c").mkdir(parents=True)
    (exp / "c" / "a.csv").write_text("alternative,score\nARG,0.5\n")
    (act / "c" / "a.csv").write_text("alternative,score\nARG,0.5000001\n")
    (exp / "c" / "b.txt").write_text("feasible\n")
    (act / "c" / "b.txt").write_text("optimal\n")
    (exp / "c" / "gone.txt").write_text("x\n")
    diffs = compare(exp, act)
    assert len(diffs) == 3
    assert any("a.csv" in d for d in diffs) and any("b.txt" in d for d in diffs) and any("gone.txt" in d for d in diffs)
    # last-bit float noise is tolerated (CPU/BLAS differences), not in --exact mode
    (act / "c" / "a.csv").write_text("alternative,score\nARG,0.5000000000000001\n")
    (act / "c" / "b.txt").write_text("feasible\n")
    (act / "c" / "gone.txt").write_text("x\n")
    assert compare(exp, act) == []
    assert compare(exp, act, exact=True) == ["differs: c/a.csv"]
