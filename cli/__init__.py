"""The ``sillage`` command (SPEC §10): parse, run one command through the ``app/`` services, or
open the GUI when no command is given. It sits at the top beside ``ui/``: it imports ``app/``,
and ``ui/`` only through ``ui.main`` to launch the application; nothing imports it."""
