"""`python -m optimisation solve ...`: kept unchanged. An entry-point shim, never imported by the
library: ``solve`` ranks a scenario first, so it lives in the product layer (:mod:`fulcrum.cli_solve`)."""

import sys

from fulcrum.cli_solve import main

sys.exit(main())
