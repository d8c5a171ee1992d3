"""``python -m cli``: the same as the ``sillage`` console command."""

import sys

from cli.main import main

sys.exit(main())
