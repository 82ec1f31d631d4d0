"""The parsed dataset files are cached per file version (issue 12 target 6): a changed file is read again,
and a caller changing its copy never changes the next caller's table."""

from __future__ import annotations

import os
import shutil

from mcda.data import CRITERIA_CSV, load_criteria


def test_changed_criteria_file_is_read_again(tmp_path):
    path = tmp_path / "criteria.csv"
    shutil.copy(CRITERIA_CSV, path)
    first = load_criteria(path)
    assert first.at["gdp", "direction"] == "benefit"
    text = path.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(text) if line.startswith("gdp,"))
    text[i] = text[i].replace(",benefit,", ",cost,", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a new version even on a coarse clock
    assert load_criteria(path).at["gdp", "direction"] == "cost"


def test_a_callers_copy_is_its_own():
    a = load_criteria()
    a.loc["gdp", "label"] = "changed by a caller"
    assert load_criteria().at["gdp", "label"] != "changed by a caller"
