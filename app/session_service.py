"""The base of the services built on a session: every public method checks the session state."""

from __future__ import annotations

from typing import Any

from app.auth.access import gated_service
from app.session import Session


@gated_service
class SessionService:
    """A service over one open session. Every subclass is a gated service (``gated_service``):
    each of its public methods first checks that the session may reach anything (R-3.5), then
    does its own rights checks."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        gated_service(cls)
