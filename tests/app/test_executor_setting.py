"""AppTest: the Robustness page's "Run long studies on…" setting (ui/executor_setting.py): a bad
address is a readable notice (no exception); a Dask cluster runs SMAA with the numbers the library
gives on any executor for the same chunks."""

from __future__ import annotations

import numpy as np
import pytest

from fulcrum.pipeline import scenario_method
from mcda import robustness as rb
from mcda.executor import InProcess
from tests.app.apptest import goto, new_app, run


def _page():
    return goto(new_app(), "Robustness")


def test_bad_scheduler_is_a_notice_not_an_exception():
    at = _page()
    at.text_input(key="rb_scheduler").set_value("slurm://queue")
    run(at)
    assert any("unknown executor" in e.value for e in at.error), [e.value for e in at.error]
    at.text_input(key="rb_scheduler").set_value("tcp://a\x01b:1")
    run(at)
    assert any("control character" in e.value or "character" in e.value for e in at.error)


def test_smaa_on_a_dask_cluster_matches_the_library(shipped):
    distributed = pytest.importorskip("distributed")
    out = shipped.outcome("default")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
        at = _page()
        at.text_input(key="rb_scheduler").set_value(cl.scheduler_address)
        run(at)
        assert any("Dask cluster at" in c.value for c in at.caption), [c.value for c in at.caption]
        at.radio(key="rb_kind").set_value("anywhere (uniform)")
        at.select_slider(key="rb_n").set_value(1000)
        run(at)
        at.button(key="rb_run_smaa").click()
        run(at)
        ex = at.session_state["_rb_executor"][1]
        ex.close()
    want = rb.smaa(
        out.problem,
        rb.UniformSimplex(out.problem),
        n_samples=1000,
        seed=1,
        method=scenario_method(out),
        executor=InProcess(),
    )
    cache = at.session_state["_robustness_cache"]
    got = next(v for k, v in cache.items() if k[0] == "SMAA")
    np.testing.assert_array_equal(got.acceptability.to_numpy(), want.acceptability.to_numpy())
