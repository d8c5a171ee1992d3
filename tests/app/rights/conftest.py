from tests.app.retention.conftest import clock, world  # noqa: F401 - shared fixtures
