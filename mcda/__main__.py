"""`python -m mcda ...`: the historical command line (rank, ahp, run, smaa), kept unchanged.

An entry-point shim, never imported by the library: it hands over to the product's console
(:mod:`fulcrum.cli`), because ``run`` needs the scenario layer above this package.
"""

import sys

from fulcrum.cli import mcda_main

sys.exit(mcda_main())
