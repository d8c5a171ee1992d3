"""Consents (R-4.6): who gives them, recorded, answered, withdrawn with the data they opened.

REF 23: the consent about sexual life is collected from the young person even when a minor;
the others from the young adult, or from the legal representative of a minor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.auth.access import gated_service
from app.auth.permissions import Access
from app.catalogue import Catalogue
from app.dossiers.access import RESTRICTED, DossierServiceBase
from app.dossiers.dates import check_not_future
from app.dossiers.model import SUIVI_DATE, Consent, ConsentState, DossierHeader, DossierStatus
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from reports.french import short_date
from storage import category_values
from storage import consents as repo

MAJORITY = 18
#: consents collected from the young person even when a minor (R-4.6: sexual life, AU-049 art. 3)
FROM_THE_PERSON = frozenset({"vie_sexuelle"})
CONSENTS = "consentements"


def to_consent(row: repo.ConsentRow) -> Consent:
    return Consent(row.id, row.consent_type, row.given_by, row.given_by_role, row.form, row.scope,
                   ConsentState(row.state), row.recorded_on, row.withdrawn_on)


def check_holder(dossier: DossierHeader, today: dt.date, consent_type: str, role: str) -> None:
    """REF 23: sexual life from the person; health (example 1) and convictions (example 3)
    from the young adult, or from the legal representative of a minor."""
    age = dossier.age(today)
    if consent_type in FROM_THE_PERSON:
        if role != "jeune":
            raise ValidationError(
                "Ce consentement est recueilli auprès du jeune lui-même, même mineur "
                "(AU-049 art. 3) : choisissez « Le jeune lui-même ».", "given_by_role")
        return
    if age is None:
        return
    if age < MAJORITY and role != "representant_legal":
        raise ValidationError(
            f"Le jeune a {age} ans : pour un mineur, ce consentement est donné par son "
            "représentant légal. Choisissez « Représentant légal » et indiquez son nom.",
            "given_by_role")
    if age >= MAJORITY and role != "jeune":
        raise ValidationError(
            f"Le jeune a {age} ans : majeur, il donne lui-même ce consentement. Choisissez "
            "« Le jeune lui-même ».", "given_by_role")


def checked_fields(
    catalogue: Catalogue, dossier: DossierHeader, today: dt.date, consent_type: str, *, given_by: str,
    given_by_role: str, form: str, state: str, scope: str, recorded_on: Any,
) -> dict[str, str]:
    """The checked fields of a consent, new or corrected (R-4.6; its real date, R-4.11)."""
    given_by = (given_by or "").strip()
    if not given_by or len(given_by) > 120 or any(ord(ch) < 32 for ch in given_by):
        raise ValidationError("Indiquez qui donne le consentement (120 caractères au plus).", "given_by")
    if given_by_role not in ("jeune", "representant_legal"):
        raise ValidationError("Le consentement est donné par le jeune ou son représentant légal.", "given_by_role")
    check_holder(dossier, today, consent_type, given_by_role)
    if form not in ("ecrit", "oral"):
        raise ValidationError("Forme du consentement : écrit ou oral.", "form")
    try:
        state_value = ConsentState(state)
    except ValueError:
        raise ValidationError("État du consentement inconnu.", "state") from None
    scope = scope or ""
    if len(scope) > 300 or "\x00" in scope:
        raise ValidationError("La portée du consentement fait 300 caractères au plus.", "scope")
    day = catalogue.validate_value("suivi", SUIVI_DATE, recorded_on) if recorded_on else today.isoformat()
    check_not_future(day, today, "recorded_on", "La date du consentement")
    return {"given_by": given_by, "given_by_role": given_by_role, "form": form,
            "state": state_value.value, "scope": scope, "recorded_on": str(day)}


@gated_service
class ConsentService(DossierServiceBase):
    def of_dossier(self, dossier_id: int) -> list[Consent]:
        """The consent records of a dossier, for a profile that may read them on this dossier
        (its units, R-3.5); a refusal is journaled."""
        self.access.require(self.access.visible(dossier_id), CONSENTS, Access.READ)
        with self.session.reading() as conn:
            return [to_consent(r) for r in repo.consents_of(conn, dossier_id)]

    def types(self) -> list[tuple[str, str]]:
        """(consent id, label of the category it opens)."""
        return [(c.consent, c.label) for c in self.catalogue.categories if c.consent]

    def default_holder(self, dossier_id: int, consent_type: str) -> tuple[str, str]:
        """(role, name) offered by default for a new consent (R-4.6): the young person for a
        consent collected from the person (sexual life) or for a young adult, the legal
        representative for a minor (whose name the form asks for)."""
        dossier = self.access.visible(dossier_id)
        self.access.require(dossier, CONSENTS, Access.READ)
        name = f"{dossier.first_names} {dossier.last_name}".strip()
        age = dossier.age(self.session.today())
        if consent_type in FROM_THE_PERSON or (age is not None and age >= MAJORITY):
            return "jeune", name
        if age is None:
            return "jeune", ""
        return "representant_legal", ""

    def record(
        self, dossier_id: int, *, consent_type: str, given_by: str, given_by_role: str,
        form: str, state: str, scope: str = "", recorded_on: Any = None,
    ) -> int:
        """A new consent, or the answer to the pending request for it (requested → given / refused)."""
        dossier = self.access.visible(dossier_id)
        if dossier.status is DossierStatus.RESTRICTED:
            raise KnownError(RESTRICTED)
        self.access.require(dossier, CONSENTS, Access.WRITE)
        labels = dict(self.types())
        if consent_type not in labels:
            raise ValidationError("Type de consentement inconnu.", "consent_type")
        clean = checked_fields(self.catalogue, dossier, self.session.today(), consent_type, given_by=given_by,
                               given_by_role=given_by_role, form=form, state=state, scope=scope,
                               recorded_on=recorded_on)
        if ConsentState(clean["state"]) is ConsentState.WITHDRAWN:
            raise ValidationError("Utilisez « Retirer le consentement » pour un retrait.", "state")
        with self.session.transaction() as conn:
            last = repo.latest_consent(conn, dossier_id, consent_type)
            self._check_not_twice(last, ConsentState(clean["state"]), labels[consent_type])
            if last is not None and last.state == ConsentState.REQUESTED.value:
                # the answer to the pending request completes that record (R-4.6: requested → given / refused)
                repo.update_consent(conn, last.id, {**clean, "recorded_by": self.session.user.id})
                self.session.record(Action.MODIFICATION, CONSENTS, dossier_id=dossier_id,
                                    detail=f"{consent_type} : requested -> {clean['state']}")
                return last.id
            consent_id = repo.insert_consent(conn, dossier_id, consent_type=consent_type,
                                             recorded_by=self.session.user.id, **clean)
            self.session.record(Action.CREATION, CONSENTS, dossier_id=dossier_id,
                                detail=f"{consent_type} : {clean['state']}")
        return consent_id

    @staticmethod
    def _check_not_twice(last: repo.ConsentRow | None, state: ConsentState, label: str) -> None:
        live = ConsentState(last.state) if last is not None else None
        if last is not None and live is ConsentState.GIVEN:
            raise KnownError(
                f"Un consentement est déjà donné pour « {label} » (enregistré au "
                f"{short_date(last.recorded_on)}) : il n'en faut qu'un. S'il "
                "a été retiré, utilisez « Retirer le consentement » avant d'en enregistrer un nouveau.")
        if live is ConsentState.REQUESTED and state is ConsentState.REQUESTED:
            raise KnownError(
                f"Un consentement est déjà demandé pour « {label} » : enregistrez la réponse "
                "(donné ou refusé) plutôt qu'une seconde demande.")

    def withdraw(self, dossier_id: int, consent_type: str, *, confirmed: bool) -> int:
        """Withdrawal deletes the category's data, after confirmation (R-4.6). Returns rows deleted."""
        if not confirmed:
            raise KnownError("Le retrait du consentement doit être confirmé : les données liées seront supprimées.")
        self.access.require(self.access.visible(dossier_id), CONSENTS, Access.WRITE)
        categories = [c.id for c in self.catalogue.categories if c.consent == consent_type]
        if not categories:
            raise ValidationError("Type de consentement inconnu.", "consent_type")
        with self.session.transaction() as conn:
            last = repo.latest_consent(conn, dossier_id, consent_type)
            if last is None:
                raise KnownError("Aucun consentement enregistré pour cette catégorie.")
            repo.mark_withdrawn(conn, last.id, self.session.today().isoformat())
            deleted = 0
            for category_id in categories:
                deleted += category_values.delete_category(conn, dossier_id, category_id)
                self.session.record(Action.SUPPRESSION, category_id, dossier_id=dossier_id,
                                    detail="retrait du consentement")
        return deleted
