"""The hostile-input corpus (tests/hostile/generate.py) through the real command line.

For every case: exit status 0, 2 or 3 (4, "solver failed", is allowed too) — never 1 (a bug);
exactly one stderr line on exit 2; never a traceback; never NaN or Infinity in an output file; no
output, stdout or stderr carrying the contents of a file outside the case's folder; and, where the
right answer is known (a path outside the folder, a control character), that exact exit status.
Cases that could hang or exhaust memory on a defective build run in one child process with an
address-space limit, a per-case alarm and an overall timeout (tests/hostile/isolated.py); the rest
run in this process (as tests/golden/golden.py does).
The outcome counts are written to artifacts/hostile_corpus_summary.txt.
"""

from __future__ import annotations

import collections
import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.hostile.generate import ROOT, SECRET, Case, all_cases, argv_for, expand_scenario_paths, materialise
from tests.support.cli import run_cli

CASES = all_cases()
# one worker runs the whole corpus under `make test` (pytest-xdist), so the module's summary
# (artifacts/hostile_corpus_summary.txt) counts every case, not one worker's share
pytestmark = pytest.mark.xdist_group("hostile")

ALLOWED = {0, 2, 3, 4}
TIMEOUT_S = 120  # hang protection (plus 30 s per isolated case), never a measurement
MEMORY_LIMIT = 4 << 30  # address space of an isolated case
_NAN = re.compile(r"(?<![\w.])(?:nan|NaN|-?inf|-?Infinity)(?![\w.])")
_OUTCOMES: collections.Counter = collections.Counter()
_BY_FAMILY: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    yield root
    lines = [
        f"hostile-input corpus: {len(CASES)} cases, {sum(_OUTCOMES.values())} run",
        "outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(_OUTCOMES.items())),
    ]
    lines += [
        f"  {fam}: " + ", ".join(f"{k}: {v}" for k, v in sorted(c.items())) for fam, c in sorted(_BY_FAMILY.items())
    ]
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    (out / "hostile_corpus_summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def isolated_results(corpus_root) -> dict[str, tuple]:
    """Every isolated case, run in ONE child process (one interpreter start-up) with an address-space
    limit, a per-case alarm (tests/hostile/isolated.py) and an overall timeout."""
    jobs = []
    for case in CASES:
        if case.isolate:
            expand_scenario_paths(case, corpus_root)
            d = materialise(case, corpus_root)
            jobs.append({"id": case.id, "module": case.module, "argv": argv_for(case, d, corpus_root)})
    spec = corpus_root / "isolated_jobs.json"
    spec.write_text(json.dumps(jobs), encoding="utf-8")
    try:
        r = subprocess.run(
            [sys.executable, "-m", "tests.hostile.isolated", str(spec)],
            cwd=ROOT,
            capture_output=True,
            timeout=TIMEOUT_S + 30 * len(jobs),
            preexec_fn=_limit_memory,
            stdin=subprocess.DEVNULL,
        )
        lines = r.stdout.decode("utf-8", "replace").splitlines()
    except subprocess.TimeoutExpired as e:
        lines = (e.stdout or b"").decode("utf-8", "replace").splitlines()
    results = {}
    for ln in lines:
        try:
            j = json.loads(ln)
        except ValueError:
            continue
        results[j["id"]] = (j["code"], j["out"], j["err"])
    return results


def run_case(case: Case, d: Path, root: Path, isolated: dict) -> tuple[int | str, str, str]:
    if case.isolate:
        return isolated.get(case.id, ("child process died or timed out", "", ""))
    try:
        r = run_cli(case.module, *argv_for(case, d, root), cwd=Path.cwd())
        return r.returncode, r.stdout, r.stderr
    except BaseException as e:  # noqa: BLE001 - an exception escaping the console is itself the failure
        return f"escaped {type(e).__name__}", "", repr(e)


def output_problems(out: Path) -> list[str]:
    """NaN/Infinity in an output file, or the secret of the file outside the folder."""
    problems = []
    if not out.exists():
        return problems
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        texts = [data]
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                texts = [z.read(n) for n in z.namelist()]
        for t in texts:
            s = t.decode("utf-8", "replace")
            if SECRET in s:
                problems.append(f"{p.name} holds the contents of a file outside the scenario's folder")
            if p.suffix == ".html":
                s = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", s)
            if p.suffix == ".xlsx":
                if re.search(r"<v>(?:nan|inf|-inf)</v>", s):
                    problems.append(f"{p.name}: NaN/inf cell")
                continue
            if p.suffix in (".csv", ".json", ".md") and _NAN.search(s):
                problems.append(f"{p.name}: NaN/Infinity: ...{_NAN.search(s).group()}...")
            if p.suffix == ".json":
                try:
                    json.loads(s, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
                except ValueError as e:
                    problems.append(f"{p.name}: not strict JSON ({e})")
            if p.suffix == ".csv":
                problems += _blank_numbers(p.name, s)
    return problems


def _blank_numbers(name: str, text: str) -> list[str]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    cols = [
        j
        for j, c in enumerate(rows[0])
        if c in ("score", "rank", "weight", "total_musd") or re.fullmatch(r"rank_\d+", c)
    ]
    return [
        f"{name}: blank {rows[0][j]} on line {i + 2}"
        for i, r in enumerate(rows[1:])
        for j in cols
        if j < len(r) and r[j].strip() == ""
    ][:1]


@pytest.mark.parametrize("case", CASES, ids=[c.id.encode("ascii", "backslashreplace").decode() for c in CASES])
def test_hostile_case(case: Case, corpus_root: Path, isolated_results: dict):
    expand_scenario_paths(case, corpus_root)
    d = materialise(case, corpus_root)
    code, out, err = run_case(case, d, corpus_root, isolated_results)
    _OUTCOMES[f"exit {code}"] += 1
    _BY_FAMILY[case.family][f"exit {code}"] += 1
    what = f"{case.id}: exit {code}\nstderr: {err[-2000:]!r}"
    assert code in ALLOWED, what
    assert "Traceback" not in err and "internal error" not in err, what
    if code == 2:
        assert len(err.strip().splitlines()) == 1, "exit 2 must print exactly one line: " + what
    if case.expect is not None:
        assert code in case.expect, f"expected exit {case.expect}; " + what
    assert SECRET not in out and SECRET not in err, "echoed a file outside the folder: " + what
    problems = output_problems(d / "out")
    assert not problems, f"{case.id}: " + "; ".join(problems)
