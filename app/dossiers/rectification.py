"""Rectification (R-4.11; GDPR art. 16, REF 64): correct a follow-up entry, a measure, a person
involved or a consent; delete a follow-up entry with a written reason.

A correction replaces the inaccurate value: the record keeps its id, author and creation time,
and the journal says who corrected which fields of which entry, when — never the values
(R-4.11, R-5.1), so that the corrected data does not live on elsewhere. Each correction is
journaled in the same transaction as the change, by a profile allowed to write that record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.auth.access import gated_service
from app.auth.permissions import Access
from app.dossiers.access import RESTRICTED, DossierServiceBase
from app.dossiers.consents import CONSENTS, checked_fields
from app.dossiers.dates import check_record_dates, record_dates
from app.dossiers.model import SUIVI_DATE, SUIVI_TYPE, ConsentState, DossierStatus, Record
from app.dossiers.records import contact_types, to_record
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from storage import consents as consents_repo
from storage import dossiers as dossiers_repo
from storage import records as repo
from storage.connection import Connection

#: the repeating categories whose entries can be corrected (R-4.11)
CORRECTABLE = ("suivi", "mesures", "intervenants")
#: the only entries that can be deleted, by a profile with the delete right (chef_service, direction)
DELETABLE = ("suivi",)
ENTRY_NOT_FOUND = "Cette entrée n'existe plus ou n'appartient pas à ce dossier."


@gated_service
class RectificationService(DossierServiceBase):
    # -- follow-up entries, measures, people involved ----------------------------------------
    def _record(self, dossier_id: int, record_id: int) -> Record:
        with self.session.reading() as conn:
            found = repo.get_record(conn, record_id)
        if found is None or found[0] != dossier_id or found[1].category_id not in CORRECTABLE:
            self.access.visible(dossier_id)  # a dossier out of reach is refused (and journaled) first
            raise KnownError(ENTRY_NOT_FOUND)
        return to_record(found[1])

    def correct_record(self, dossier_id: int, record_id: int, values: Mapping[str, Any]) -> list[str]:
        """Validate the corrected entry as a new one (catalogue, plausible dates), replace it,
        journal the changed field ids. Returns them (empty: nothing changed, nothing journaled)."""
        record = self._record(dossier_id, record_id)
        category_id = record.category_id
        self.access.writable(dossier_id, category_id)
        clean = self.catalogue.validate_record(category_id, values)
        check_record_dates(category_id, clean, self.session.today())
        old = {k: v for k, v in record.values.items() if v is not None}
        new = {k: v for k, v in clean.items() if v is not None}
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if not changed:
            return []
        record_date, deadline = record_dates(category_id, clean)
        with self.session.transaction() as conn:
            repo.replace_record_values(conn, record_id, category_id, clean, record_date=record_date,
                                       deadline=deadline, now=self.session.stamp())
            if category_id == "suivi" and {SUIVI_DATE, SUIVI_TYPE} & set(changed):
                self._recompute_last_contact(conn, dossier_id)
            self.session.record(Action.MODIFICATION, category_id, dossier_id=dossier_id,
                                detail=f"correction de l'entrée {record_id} : champs " + ", ".join(changed))
        return changed

    def can_delete(self, dossier_id: int, category_id: str) -> bool:
        """Whether « Supprimer » is offered: a follow-up entry, by a profile with the delete right."""
        if category_id not in DELETABLE:
            return False
        dossier = self.access.visible(dossier_id)
        return Access.DELETE in self.access.rights_on(dossier, category_id) and \
            dossier.status is not DossierStatus.RESTRICTED

    def delete_record(self, dossier_id: int, record_id: int, reason: str, *, confirmed: bool) -> None:
        """A follow-up entry deleted by ``chef_service``/``direction`` with a written reason
        (R-4.11); the deletion and its reason are journaled, never the entry's content."""
        from app.retention.service import check_reason

        record = self._record(dossier_id, record_id)
        if record.category_id not in DELETABLE:
            raise KnownError("Seules les entrées de suivi peuvent être supprimées ; une mesure ou un "
                             "intervenant se corrige.")
        dossier = self.access.visible(dossier_id)
        if dossier.status is DossierStatus.RESTRICTED:
            raise KnownError(RESTRICTED)
        self.access.require(dossier, record.category_id, Access.DELETE)
        text = check_reason(reason, (dossier.last_name, dossier.first_names))
        if not confirmed:
            raise KnownError("La suppression de l'entrée doit être confirmée : elle est définitive.")
        with self.session.transaction() as conn:
            repo.delete_record(conn, record_id)
            self._recompute_last_contact(conn, dossier_id)
            self.session.record(Action.SUPPRESSION, record.category_id, dossier_id=dossier_id,
                                detail=f"suppression de l'entrée {record_id} ; motif : {text}")

    def _recompute_last_contact(self, conn: Connection, dossier_id: int) -> None:
        dossiers_repo.recompute_last_contact(conn, dossier_id, SUIVI_TYPE, sorted(contact_types(self.catalogue)))

    # -- consents --------------------------------------------------------------------------
    def correct_consent(
        self, dossier_id: int, consent_id: int, *, given_by: str, given_by_role: str, form: str,
        state: str, scope: str = "", recorded_on: Any = None,
    ) -> list[str]:
        """Correct a consent as it was recorded (who, role, form, scope, date, or a state typed
        wrongly between requested / given / refused). Taking back a given consent is a
        withdrawal, with the deletion it implies: « Retirer le consentement », not a correction."""
        dossier = self.access.visible(dossier_id)
        with self.session.reading() as conn:
            consent = consents_repo.get_consent(conn, consent_id)
        if consent is None or consent.dossier_id != dossier_id:
            raise KnownError("Ce consentement n'existe plus ou n'appartient pas à ce dossier.")
        if dossier.status is DossierStatus.RESTRICTED:
            raise KnownError(RESTRICTED)
        self.access.require(dossier, CONSENTS, Access.WRITE)
        clean = checked_fields(self.catalogue, dossier, self.session.today(), consent.consent_type,
                               given_by=given_by, given_by_role=given_by_role, form=form, state=state,
                               scope=scope, recorded_on=recorded_on)
        was = ConsentState(consent.state)
        now = ConsentState(clean["state"])
        if was is ConsentState.WITHDRAWN and now is not ConsentState.WITHDRAWN:
            raise ValidationError("Un consentement retiré le reste : enregistrez-en un nouveau.", "state")
        if was is ConsentState.WITHDRAWN:
            clean.pop("state")
        elif was is ConsentState.GIVEN and now is not ConsentState.GIVEN:
            raise ValidationError("Pour revenir sur un consentement donné, utilisez « Retirer le "
                                  "consentement » : les données liées seront supprimées.", "state")
        before = {"given_by": consent.given_by, "given_by_role": consent.given_by_role,
                  "form": consent.form, "scope": consent.scope, "state": consent.state,
                  "recorded_on": consent.recorded_on}
        changed = sorted(k for k, v in clean.items() if before.get(k) != v)
        if not changed:
            return []
        with self.session.transaction() as conn:
            consents_repo.update_consent(conn, consent_id, {k: clean[k] for k in changed})
            self.session.record(Action.MODIFICATION, CONSENTS, dossier_id=dossier_id,
                                detail=f"correction du consentement {consent_id} ({consent.consent_type}) : "
                                       "champs " + ", ".join(changed))
        return changed

