"""`python -m mcda ...` entry point (see mcda/cli.py)."""
import sys

from mcda.cli import main

sys.exit(main())
