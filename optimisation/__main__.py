import sys

from optimisation.cli import main

sys.exit(main())
