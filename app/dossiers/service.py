"""Dossiers: their list, creation, view, status and référent (R-4.1 to R-4.10, R-5.1).

Every check and every journal entry happens in the services of this package: this one for the
dossier itself, ``values`` for the values of its categories (and their journaled reveals),
``records`` for its entries, ``consents`` for its consents, ``rectification`` for corrections.
The UI reaches them all through one ``DossierService``: ``service.values.save(…)``,
``service.consents.record(…)``, and so on.
"""

from __future__ import annotations

from typing import Any

from app.auth.access import gated_service, require_right
from app.auth.permissions import UNIT_SCOPED, Access, Right, has_right
from app.auth.profiles import Profile
from app.catalogue import Catalogue
from app.dossiers.access import DossierServiceBase, to_header
from app.dossiers.consents import CONSENTS, ConsentService
from app.dossiers.dates import check_birth_date
from app.dossiers.model import (
    IDENTITY_COLUMNS,
    MESURE_TYPE,
    SUIVI_DATE,
    CategoryState,
    DossierHeader,
    DossierStatus,
    DossierView,
)
from app.dossiers.records import RecordService
from app.dossiers.rectification import RectificationService
from app.dossiers.values import NAME_REQUIRED, CategoryValues, identity_values, masked
from app.errors import KnownError, PermissionRefused, ValidationError
from app.journal.events import Action
from app.session import Session
from storage import category_values
from storage import dossiers as repo

VISIBLE_STATUSES = ("active", "closed", "legal_hold", "restricted")


@gated_service
class DossierService(DossierServiceBase):
    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        super().__init__(session, catalogue)
        self.values = CategoryValues(session, self.catalogue)
        self.records = RecordService(session, self.catalogue)
        self.consents = ConsentService(session, self.catalogue)
        self.rectification = RectificationService(session, self.catalogue)

    # -- lists (R-4.7: only non-sensitive columns, never a sensitive criterion) ---------------
    def list_dossiers(self) -> list[DossierHeader]:
        require_right(self.session, Right.LIST_DOSSIERS)
        user = self.session.user
        units = user.unit_ids if user.profile in UNIT_SCOPED else None
        with self.session.reading() as conn:
            rows = repo.list_dossiers(conn, unit_ids=units, statuses=VISIBLE_STATUSES, measure_type_field=MESURE_TYPE)
        return [to_header(r) for r in rows]

    def header(self, dossier_id: int) -> DossierHeader:
        """The non-sensitive header of a dossier the caller may see (a refusal is journaled)."""
        return self.access.visible(dossier_id)

    def units(self) -> list[tuple[int, str]]:
        with self.session.reading() as conn:
            return repo.active_units(conn)

    # -- creation --------------------------------------------------------------------------
    def create_dossier(
        self, *, last_name: str, first_names: str, birth_date: Any, unit_id: int,
        referent_id: int | None = None,
    ) -> int:
        require_right(self.session, Right.CREATE_DOSSIER)
        user = self.session.user
        if user.profile in UNIT_SCOPED and unit_id not in user.unit_ids:
            raise PermissionRefused("Vous ne pouvez créer un dossier que dans vos unités.")
        values = self.catalogue.validate_record("identite", {
            IDENTITY_COLUMNS["last_name"]: last_name,
            IDENTITY_COLUMNS["first_names"]: first_names,
            IDENTITY_COLUMNS["birth_date"]: birth_date,
        })
        if not values.get(IDENTITY_COLUMNS["last_name"]) or not values.get(IDENTITY_COLUMNS["first_names"]):
            raise ValidationError(NAME_REQUIRED, IDENTITY_COLUMNS["last_name"])
        today = self.session.today()
        born = values.get(IDENTITY_COLUMNS["birth_date"])
        check_birth_date(born, today, new_dossier=True)
        with self.session.reading() as conn:
            known_unit = repo.unit_is_active(conn, unit_id)
        if not known_unit:
            raise ValidationError("Unité inconnue.", "unit_id")
        with self.session.transaction() as conn:
            dossier_id = repo.insert_dossier(
                conn, number=repo.free_number(conn, today.year), last_name=str(values[IDENTITY_COLUMNS["last_name"]]),
                first_names=str(values[IDENTITY_COLUMNS["first_names"]]),
                birth_date=born if isinstance(born, str) else None, unit_id=unit_id, referent_id=referent_id,
                status=DossierStatus.ACTIVE.value, opened_on=today.isoformat(), now=self.session.stamp())
            self.session.record(Action.CREATION, "dossier", dossier_id=dossier_id)
        return dossier_id

    # -- reading ---------------------------------------------------------------------------
    def open_dossier(self, dossier_id: int) -> DossierView:
        """Header and non-sensitive categories; sensitive ones stay masked (R-4.8)."""
        dossier = self.access.visible(dossier_id)
        states = {c.id: self._state(dossier, c.id) for c in self.catalogue.categories
                  if not c.requires_setting or self.access.setting_on(c.requires_setting)}
        consent_access = self.access.rights_on(dossier, CONSENTS)
        readable = Access.READ in consent_access
        consents = self.consents.of_dossier(dossier_id) if readable else []
        return DossierView(
            dossier, states, tuple(consents), consents_readable=readable,
            consents_writable=Access.WRITE in consent_access and dossier.status is not DossierStatus.RESTRICTED,
        )

    def _state(self, dossier: DossierHeader, category_id: str) -> CategoryState:
        category = self.catalogue.category(category_id)
        access = self.access.rights_on(dossier, category.id)
        readable = Access.READ in access
        values: dict[str, Any] | None = None
        if readable and not category.sensitive and not category.repeating:
            with self.session.reading() as conn:
                values = masked(category, category_values.category_values(conn, dossier.id, category.id))
            if category.id == "identite":
                values.update(identity_values(dossier))
        return CategoryState(
            category_id=category.id, readable=readable, writable=Access.WRITE in access,
            sensitive=category.sensitive, needs_consent=category.consent,
            consent_given=self.access.consent_given(dossier.id, category.consent) if category.consent else True,
            values=values,
        )

    # -- statuses (R-4.10) ------------------------------------------------------------------
    def exit_reasons(self) -> list[tuple[str, str]]:
        return [(i.code, i.label) for i in self.catalogue.vocabulary("motif_sortie").active_items]

    def close_dossier(self, dossier_id: int, *, closed_on: Any, reason: str) -> None:
        """End of care: the date and reason are kept; retention counts from the last contact."""
        require_right(self.session, Right.CLOSE_DOSSIER)
        dossier = self.access.visible(dossier_id)
        if dossier.status is not DossierStatus.ACTIVE:
            raise KnownError("Seul un dossier en cours peut être clôturé.")
        day = self.catalogue.validate_value("suivi", SUIVI_DATE, closed_on)
        if not isinstance(day, str) or day > self.session.today().isoformat():
            raise ValidationError("Indiquez la date de fin de prise en charge (aujourd'hui au plus tard).",
                                  "closed_on")
        if reason not in {code for code, _ in self.exit_reasons()}:
            raise ValidationError("Choisissez le motif de fin de prise en charge dans la liste.", "reason")
        with self.session.transaction() as conn:
            repo.close(conn, dossier_id, closed_on=day, reason=reason, now=self.session.stamp())
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail=f"clôture ({reason})")

    def set_restriction(self, dossier_id: int, *, restricted: bool) -> None:
        """Right to restriction (R-4.10, R-7.3): the dossier becomes read-only until lifted."""
        require_right(self.session, Right.RESTRICT_DOSSIER)
        dossier = self.access.visible(dossier_id)
        target = DossierStatus.RESTRICTED if restricted else DossierStatus.ACTIVE
        if restricted and dossier.status is not DossierStatus.ACTIVE:
            raise KnownError("Seul un dossier en cours peut être limité.")
        if not restricted and dossier.status is not DossierStatus.RESTRICTED:
            raise KnownError("Ce dossier n'est pas limité.")
        with self.session.transaction() as conn:
            repo.set_status(conn, dossier_id, target.value, self.session.stamp())
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail="limitation" if restricted else "levée de la limitation")

    # -- référent (R-3.5) ------------------------------------------------------------------
    def referent_candidates(self, dossier_id: int) -> list[tuple[int, str]]:
        """Active educators and heads of service of the dossier's unit."""
        unit_id = self.access.visible(dossier_id).unit_id
        with self.session.reading() as conn:
            return repo.referent_candidates(conn, unit_id)

    def referent_name(self, dossier_id: int) -> str:
        dossier = self.access.visible(dossier_id)
        if dossier.referent_id is None:
            return ""
        with self.session.reading() as conn:
            return repo.referent_name(conn, dossier.referent_id)

    def set_referent(self, dossier_id: int, user_id: int | None) -> None:
        """The référent reads the social evaluation (R-3.5); the change is journaled."""
        require_right(self.session, Right.ASSIGN_REFERENT)
        dossier = self.access.visible(dossier_id)
        if user_id is not None and user_id not in {uid for uid, _ in self.referent_candidates(dossier_id)}:
            raise ValidationError("Le référent doit être un éducateur ou un chef de service actif de "
                                  "l'unité du dossier.", "referent")
        with self.session.transaction() as conn:
            repo.set_referent(conn, dossier_id, user_id, self.session.stamp())
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail=f"référent {dossier.referent_id or '-'} -> {user_id or '-'}")

    # -- profile helpers for the UI --------------------------------------------------------
    def can(self, right: Right) -> bool:
        return has_right(self.session.user.profile, right)

    def can_create(self) -> bool:
        return has_right(self.session.user.profile, Right.CREATE_DOSSIER)

    def is_unit_scoped(self) -> bool:
        return self.session.user.profile in UNIT_SCOPED

    @property
    def profile(self) -> Profile:
        return self.session.user.profile
