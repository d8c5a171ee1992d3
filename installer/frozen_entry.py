"""The frozen application's entry script (PyInstaller): the same as the ``sillage`` console
command, ``cli.main:main``. Kept here, alone in its folder, so that the analysis does not take
the modules beside it for top-level ones."""

import sys

from cli.main import main

sys.exit(main())
