"""The retention world (a director, a head of service, dossiers with chosen last contacts)."""

from tests.app.retention.conftest import clock, world  # noqa: F401 - fixtures shared with tests/app/retention
