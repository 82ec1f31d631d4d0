"""`python -m fulcrum ...` (same as the `fulcrum` console command)."""

import sys

from fulcrum.cli import main

sys.exit(main())
