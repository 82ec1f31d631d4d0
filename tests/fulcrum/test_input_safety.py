"""Trust and safety on the input side (issue 8): each rule tested where it is enforced.

* a scenario reads data only from its own folder (or a shipped name): fulcrum.scenario.dataset_path;
* every user file is a regular file under a size limit, its shape checked before parsing: mcda/limits.py;
* one text rule for every reader (control characters, NUL, surrogates, non-characters): mcda/text.py;
* bad input is exit 2 with one line, warnings never add lines to it: fulcrum.cli.run_guarded.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from fulcrum.pipeline import load_dataset, rank_scenario
from fulcrum.scenario import load_scenario, parse_scenario
from mcda.errors import InputError
from mcda.io import read_criteria, read_matrix
from tests.support import ROOT
from tests.support.cli import run_cli

SECRET = "SECRET-c0ffee"
DATA = "id,size,risk\nA,10,1\nB,20,3\nC,15,2\n"


def _sparse(path: Path, size: int) -> None:
    """A sparse file of ``size`` bytes (no disk used)."""
    with open(path, "wb") as f:
        f.truncate(size)


def small_doc(dataset: str) -> dict:
    return {
        "data": {"dataset": dataset},
        "criteria": [
            {"id": "size", "direction": "benefit", "weight": 1},
            {"id": "risk", "direction": "cost", "weight": 1},
        ],
        "shortlist": {"top_k": 2},
    }


@pytest.fixture
def layout(tmp_path):
    """tmp/outside/secret.csv (a CSV the scenario must not read) and tmp/sc/ (the scenario's folder)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text(f"id,size,risk\n{SECRET},1,2\nB,3,4\n")
    sc = tmp_path / "sc"
    sc.mkdir()
    (sc / "data.csv").write_text(DATA)
    return tmp_path, sc


def scenario_file(folder: Path, doc: dict, name: str = "s.json") -> Path:
    p = folder / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def refused(doc_path: Path, *needles: str) -> str:
    with pytest.raises(InputError) as ei:
        rank_scenario(load_scenario(doc_path))
    msg = str(ei.value)
    assert SECRET not in msg, msg
    for n in needles:
        assert n in msg, (n, msg)
    return msg


# ----------------------------------------------------------------------------------- 1. file paths
@pytest.mark.parametrize(
    "dataset",
    [
        "{root}/outside/secret.csv",
        "../outside/secret.csv",
        "/dev/zero",
        "/dev/urandom",
        "/etc/passwd",
        "/proc/self/environ",
    ],
    ids=["absolute", "dotdot", "dev-zero", "dev-urandom", "etc-passwd", "proc-environ"],
)
def test_dataset_outside_the_scenario_folder_is_refused_without_echo(layout, dataset):
    root, sc = layout
    msg = refused(scenario_file(sc, small_doc(dataset.replace("{root}", str(root)))), "data.dataset")
    assert "outside the scenario's folder" in msg


def test_symlink_out_of_the_folder_is_refused_and_inside_is_read(layout):
    root, sc = layout
    os.symlink(root / "outside" / "secret.csv", sc / "link.csv")
    refused(scenario_file(sc, small_doc("link.csv")), "data.dataset", "outside the scenario's folder")
    os.symlink(sc / "data.csv", sc / "inside.csv")
    sub = sc / "sub"
    sub.mkdir()
    (sub / "d.csv").write_text(DATA)
    assert list(
        rank_scenario(load_scenario(scenario_file(sc, small_doc("inside.csv")))).ranking["alternative"]
    ) == list(rank_scenario(load_scenario(scenario_file(sc, small_doc("sub/d.csv"), "t.json"))).ranking["alternative"])


@pytest.mark.parametrize(
    "make,needle",
    [
        (lambda p: os.mkfifo(p), "not a regular file"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: _sparse(p, 300 * 1024 * 1024), "above the limit"),
    ],
    ids=["fifo", "folder", "sparse-300MB"],
)
def test_dataset_inside_the_folder_must_be_a_regular_file_under_the_limit(layout, make, needle):
    _, sc = layout
    make(sc / "x.csv")
    refused(scenario_file(sc, small_doc("x.csv")), "data.dataset", needle)


def test_scenario_without_a_folder_may_name_only_shipped_data(layout):
    root, _ = layout
    with pytest.raises(InputError, match=r"data.dataset: this scenario was not read from a file"):
        load_dataset(parse_scenario(small_doc(str(root / "outside" / "secret.csv"))))
    assert len(load_dataset(parse_scenario({"criteria": [{"id": "gdp", "weight": 1}]}))[0]) == 33


def test_app_uploaded_scenario_cannot_read_server_files(layout):
    """A scenario JSON uploaded in the browser has no folder: only shipped data or the app's own uploads."""
    from ui import upload
    from ui.pages.scenarios import load_scenario_text

    root, _ = layout
    state: dict = {}
    assert not load_scenario_text(json.dumps(small_doc(str(root / "outside" / "secret.csv"))), "evil.json", state)
    kind, text = state["notice"][-1]
    assert kind == "error" and "data.dataset" in text and SECRET not in text
    # an upload the app itself holds round-trips: saved scenario -> loaded back in the browser
    assert upload.handle_upload("mine.csv", DATA.encode(), state), state.get(upload.NOTICE)
    from fulcrum.scenario import scenario_to_json

    state2: dict = {}
    assert load_scenario_text(scenario_to_json(state["scenario"]), "saved.json", state2), state2.get("notice")


# ----------------------------------------------------------------------------------- 5. sizes
def test_wide_header_is_refused_before_parsing(tmp_path):
    m = tmp_path / "m.csv"
    m.write_bytes(b"id," + b",".join(b"c%d" % i for i in range(1_001)) + b"\nA" + b",1" * 1_001 + b"\n")
    with pytest.raises(InputError, match="1,002 columns, above the limit of 1,000"):
        read_matrix(m)
    m.write_bytes(b"id," + b"x" * (2 * 1024 * 1024) + b"\nA,1\n")
    with pytest.raises(InputError, match=r"header line is longer than 1.0 MiB"):
        read_matrix(m)


def test_smaa_row_limit_is_checked_before_the_table_is_parsed(tmp_path, monkeypatch):
    m = tmp_path / "m.csv"
    m.write_bytes(b"id,c1\n" + b"".join(b"a%d,%d\n" % (i, i % 7) for i in range(1_001)))
    import pandas

    def no_parse(*a, **k):
        raise AssertionError("parsed a table that is over the limit")

    monkeypatch.setattr(pandas, "read_csv", no_parse)
    with pytest.raises(InputError, match=r"1,001 data rows .* smaa takes at most 1,000"):
        read_matrix(m, max_rows=1_000, max_rows_what="smaa")


def test_smaa_library_refuses_too_many_alternatives_before_allocating():
    import numpy as np

    from mcda.problem import DecisionProblem
    from mcda.robustness_smaa import smaa

    p = DecisionProblem.from_arrays(np.arange(2_002.0).reshape(1_001, 2), np.array([1, -1]))
    with pytest.raises(InputError, match="SMAA takes at most 1,000"):
        smaa(p, n_samples=10)


def test_many_unknown_candidates_give_a_short_message():
    doc = {"data": {"candidates": [f"X{i:06d}" for i in range(200_000)]}, "criteria": [{"id": "gdp", "weight": 1}]}
    with pytest.raises(InputError) as ei:
        load_dataset(parse_scenario(doc))
    msg = str(ei.value)
    assert "X000000" in msg and "and 199,990 more" in msg and len(msg) < 400


# ----------------------------------------------------------------------------------- 8. odd text
@pytest.mark.parametrize(
    "field,value,where",
    [
        ("name", "a\x00b", "field name"),
        ("name", "a\ud800b", "field name"),
        ("name", "tab\there", "field name"),
        ("description", "a\x0bb", "field description"),
        ("name", "a\ufffeb", "field name"),
    ],
)
def test_scenario_text_with_control_characters_is_refused_naming_the_field(field, value, where):
    doc = {"criteria": [{"id": "gdp", "weight": 1}], field: value}
    with pytest.raises(InputError) as ei:
        parse_scenario(json.dumps(doc))
    assert where in str(ei.value) and "U+" in str(ei.value)
    str(ei.value).encode("utf-8")  # printable: the refused character is never echoed


def test_multiline_fields_keep_tabs_and_line_breaks_and_markup_passes():
    sc = parse_scenario(
        {
            "criteria": [{"id": "gdp", "weight": 1}],
            "name": "<script>x</script> =SUM(1) 名前 🙂",
            "description": "line 1\n\tline 2\r\n",
        }
    )
    assert sc.description.startswith("line 1")


def test_nested_field_path_is_named():
    doc = {"criteria": [{"id": "gdp", "weight": 1}], "shortlist": {"exclusions": [{"id": "ARG", "reason": "r\x1b"}]}}
    with pytest.raises(InputError, match=r"field shortlist\.exclusions\[0\]\.reason: text contains U\+001B"):
        parse_scenario(doc)


def test_matrix_cells_and_names_with_control_characters_are_refused(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("id,name,size\nA,Bra\x0bzil,1\nB,ok,2\n")
    with pytest.raises(InputError, match=r"m.csv, row A, column name: cell contains U\+000B"):
        read_matrix(m)
    m.write_text("id,si\x1fze\nA,1\n")
    with pytest.raises(InputError, match=r"line 1, column 2: column name contains U\+001F"):
        read_matrix(m)
    x = tmp_path / "m.xlsx"
    pd.DataFrame({"id": ["A", "B\x85"], "size": [1, 2]}).to_excel(x, index=False)
    with pytest.raises(InputError, match=r"data row 2, column id: cell contains U\+0085"):
        read_matrix(x)
    c = tmp_path / "c.csv"
    c.write_text("criterion,direction,weight\nsi\x00ze,benefit,1\n")
    with pytest.raises(InputError, match=r"c.csv.*U\+0000"):
        read_criteria(c)


def test_judgement_file_with_control_character_names_line_and_column(tmp_path):
    from mcda.ahp import read_judgements_csv

    j = tmp_path / "j.csv"
    j.write_text(",a,b\na,1,3\nb\x0b,1/3,1\n")
    with pytest.raises(InputError, match=r"j.csv, line 3, column 1: cell contains U\+000B"):
        read_judgements_csv(j)


def test_app_upload_with_a_control_character_is_a_notice_not_a_crash():
    from ui import upload

    state: dict = {}
    assert not upload.handle_upload("m.csv", b"id,country,size\nA,Bol\x0bivia,1\nB,Peru,2\n", state)
    kind, text = state[upload.NOTICE]
    assert kind == "error" and "U+000B" in text and "column country" in text


# ----------------------------------------------------------------------------------- 9. exit codes
def one_error_line(code: int, err: str, *needles: str) -> str:
    assert code == 2, (code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    "text,needles",
    [
        ("[" * 100_000 + "]" * 100_000, ["nested too deeply"]),
        ('{"criteria": [{"id": "gdp", "weight": 1}], "shortlist": {"top_k": ' + "9" * 5000 + "}}", ["5,000 digits"]),
        (
            '{"name": "a", "criteria": [{"id": "gdp", "weight": 1}], "name": "b"}',
            ["field name", "key 'name' appears more"],
        ),
        (
            '{"criteria": [{"id": "gdp", "weight": 1}], "data": {"dataset": "default", "dataset": "x.csv"}}',
            ["field data.dataset", "key 'dataset' appears more"],
        ),
        (
            (
                '{"criteria": [{"id": "gdp", "weight": 1}], "shortlist": {"filters": '
                '[{"column": "x", "value": NaN, "reason": "r"}]}}'
            ),
            ["field shortlist.filters[0].value", "nan is not a finite number"],
        ),
    ],
)
def test_bad_scenario_json_is_exit_2_with_one_line(tmp_path, text, needles):
    p = tmp_path / "s.json"
    p.write_text(text)
    for module, argv in (
        ("mcda", ["run", str(p), "--out", str(tmp_path / "o")]),
        ("optimisation", ["solve", str(p), "--out", str(tmp_path / "o")]),
    ):
        r = run_cli(module, *argv)
        one_error_line(r.returncode, r.stderr, *needles)


@pytest.mark.parametrize("out", ["{tmp}/afile", "{tmp}/afile/sub", "/sys/fulcrum-readonly-out"])
def test_solve_out_on_a_file_or_read_only_is_exit_2(tmp_path, out):
    (tmp_path / "afile").write_text("x")
    out = out.replace("{tmp}", str(tmp_path))
    r = run_cli("optimisation", "solve", ROOT / "scenarios" / "default.json", "--out", out)
    one_error_line(r.returncode, r.stderr)
    r = run_cli("mcda", "run", ROOT / "scenarios" / "default.json", "--out", out, "--no-allocation")
    one_error_line(r.returncode, r.stderr)


@pytest.mark.parametrize("args", [["{tmp}/nope.csv"], ["{tmp}"], ["/dev/zero"]], ids=["missing", "folder", "dev-zero"])
def test_missing_folder_or_device_input_is_exit_2(tmp_path, args):
    (tmp_path / "c.csv").write_text("criterion,direction,weight\nsize,benefit,1\n")
    argv = ["rank", *[a.replace("{tmp}", str(tmp_path)) for a in args], "--criteria", str(tmp_path / "c.csv")]
    r = run_cli("mcda", *argv)
    one_error_line(r.returncode, r.stderr)


def test_ahp_overflow_prints_one_line_and_no_runtime_warning(tmp_path):
    j = tmp_path / "j.csv"
    j.write_text("x,a,b,c\na,1,1e300,1e-300\nb,1e-300,1,1e300\nc,1e300,1e-300,1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cause is fixed: no numpy overflow warning is raised at all
        r = run_cli("mcda", "ahp", j, "--extended-scale")
    one_error_line(r.returncode, r.stderr, "span too wide")


def test_console_drops_warnings_on_failure_and_prints_them_as_one_line_on_success(capsys):
    from fulcrum.cli import run_guarded

    def fails() -> int:
        warnings.warn("Glyph 128578 missing from font(s) DejaVu Sans.\nsecond line", UserWarning, stacklevel=2)
        raise InputError("bad", where="x")

    def succeeds() -> int:
        warnings.warn("Glyph 128578 missing from font(s) DejaVu Sans.", UserWarning, stacklevel=2)
        return 0

    assert run_guarded(fails, "p: error: ", "p: internal error: ") == 2
    assert capsys.readouterr().err == "p: error: x: bad.\n"
    assert run_guarded(succeeds, "p: error: ", "p: internal error: ") == 0
    assert capsys.readouterr().err == "warning: Glyph 128578 missing from font(s) DejaVu Sans.\n"
