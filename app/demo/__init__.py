"""The demo workspace: fictive data for every part of the model (R-2.7, REF 68).

Also the data generator of the benchmarks (``--youths``, ``--journal-rows``, ``--seed``).
Every value is drawn from the catalogue and validated by it; the names are invented.

- ``fictive``: the invented organisation, accounts, names, places and notes; the options;
- ``values``: a valid value for each field, coherent with the person;
- ``generator``: the dossiers with their values, entries and consents, written in bulk;
- ``history``: a year of journal entries that each profile may have written;
- ``workspace``: create (or re-create) and remove the demo workspace.
"""

from app.demo.fictive import (
    ADULT_MEASURES,
    DEMO_ACCOUNTS,
    DEMO_ORG,
    FIRST_NAMES,
    FIRST_NAMES_BY_SEX,
    LAST_NAMES,
    DemoCancelled,
    DemoOptions,
)
from app.demo.workspace import DemoAccount, DemoResult, create_demo

__all__ = [
    "ADULT_MEASURES", "DEMO_ACCOUNTS", "DEMO_ORG", "FIRST_NAMES", "FIRST_NAMES_BY_SEX", "LAST_NAMES",
    "DemoAccount", "DemoCancelled", "DemoOptions", "DemoResult", "create_demo",
]
