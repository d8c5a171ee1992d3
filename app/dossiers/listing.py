"""The youth list as the UI needs it, with the catalogue's labels (R-4.7, R-4.9)."""

from __future__ import annotations

from app.auth.access import gated_service
from app.dossiers.model import MESURE_TYPE, DossierStatus
from app.dossiers.search import YouthIndex, YouthListRow, to_list_rows
from app.dossiers.service import VISIBLE_STATUSES, DossierService
from app.session import Session


@gated_service
class YouthListing:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.service = DossierService(session)
        self.rows: list[YouthListRow] = []
        self._index = YouthIndex([])

    def measure_labels(self) -> dict[str, str]:
        field = self.service.catalogue.category("mesures").field(MESURE_TYPE)
        if not field.vocabulary:
            return {}
        return {i.code: i.label for i in self.service.catalogue.vocabulary(field.vocabulary).items}

    def refresh(self) -> None:
        today = self.session.today()
        self.rows = to_list_rows(self.service.list_dossiers(), today, self.measure_labels())
        self._index = YouthIndex(self.rows)

    def filter(self, query: str = "", *, unit_id: int | None = None, status: str | None = None,
               deadline_within_days: int | None = None) -> list[YouthListRow]:
        return self._index.filter(
            query, unit_id=unit_id, status=status, deadline_within_days=deadline_within_days,
            today=self.session.today(),
        )

    def units(self) -> list[tuple[int, str]]:
        units = self.service.units()
        if self.service.is_unit_scoped():
            mine = self.session.user.unit_ids
            units = [u for u in units if u[0] in mine]
        return units

    def statuses(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in DossierStatus if s.value in VISIBLE_STATUSES]
