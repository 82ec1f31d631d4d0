"""Fulcrum, the product layer: what joins the ranking library (:mod:`mcda`) and the allocation
library (:mod:`optimisation`), which never import each other.

- :mod:`fulcrum.scenario` — the scenario document (every input, one validated JSON file);
- :mod:`fulcrum.pipeline` — scenario -> data -> problem -> weights -> ranking -> shortlist;
- :mod:`fulcrum.allocate` — shortlist -> priorities -> allocation model -> result;
- :mod:`fulcrum.funding` — funding acceptability (re-rank, re-shortlist, re-allocate per sample);
- :mod:`fulcrum.run` — a scenario file end to end, every output written;
- :mod:`fulcrum.report`, :mod:`fulcrum.report_html`, :mod:`fulcrum.outputs` — render and write
  results already computed (they never solve);
- :mod:`fulcrum.cli` — the ``fulcrum`` console command (and ``python -m mcda`` / ``optimisation``).

The app (``app.py``, ``ui/``) sits on top and calls this layer and the two libraries' public APIs.
See docs/ARCHITECTURE.md.
"""
