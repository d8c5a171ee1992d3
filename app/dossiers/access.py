"""The checks every dossier service makes first (R-3.5, R-4.6, R-4.10): the dossier is within
the caller's reach, an archived one only through a consultation with a reason, the category
readable or writable by the caller's profile, its consent in force. Refusals are journaled.
"""

from __future__ import annotations

from app.auth.access import gated_service, require_category
from app.auth.permissions import Access, DossierScope, can_see_dossier, category_access
from app.catalogue import Catalogue, load_catalogue
from app.dossiers.model import MESURE_TYPE, ConsentState, DossierHeader, DossierStatus
from app.errors import KnownError, PermissionRefused
from app.journal.events import Action
from app.session import Session
from storage import consents as consents_repo
from storage import dossiers as repo
from storage import settings as settings_repo

NOT_FOUND = "Ce dossier n'existe pas ou ne vous est pas accessible."
ARCHIVE_REASON = ("Ce dossier est en archive intermédiaire : il ne s'ouvre qu'avec le motif écrit de la "
                  "consultation (« Consulter… » dans Archives).")
RESTRICTED = (
    "Ce dossier fait l'objet d'une limitation du traitement : il est en lecture seule jusqu'à la "
    "levée de la limitation."
)
NOT_OPEN_HERE = ("Cette catégorie n'est pas ouverte pour votre organisme (réservée aux organismes "
                 "chargés d'une mission de service public).")


def to_header(row: repo.DossierRow) -> DossierHeader:
    return DossierHeader(
        id=row.id, number=row.number, last_name=row.last_name, first_names=row.first_names,
        birth_date=row.birth_date, unit_id=row.unit_id, unit_name=row.unit_name,
        referent_id=row.referent_id, status=DossierStatus(row.status), opened_on=row.opened_on,
        closed_on=row.closed_on, last_contact_on=row.last_contact_on,
        next_deadline=row.next_deadline, measure_type=row.measure_type,
    )


def scope_of(dossier: DossierHeader) -> DossierScope:
    return DossierScope(dossier.unit_id, dossier.referent_id, dossier.status.value)


@gated_service
class DossierAccess:
    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        self.session = session
        self.catalogue = catalogue or load_catalogue()

    def visible(self, dossier_id: int) -> DossierHeader:
        """The dossier, if the caller may see it (R-3.5); a refusal is journaled."""
        with self.session.reading() as conn:
            row = repo.get_dossier(conn, dossier_id, MESURE_TYPE)
        user = self.session.user
        dossier = None if row is None else to_header(row)
        if dossier is None or not can_see_dossier(user.profile, user.unit_ids, scope_of(dossier)):
            if dossier is not None:
                self.session.journal_event(Action.REFUS, "dossier", dossier_id=dossier_id,
                                           detail="dossier hors périmètre")
            raise PermissionRefused(NOT_FOUND)
        if dossier.status is DossierStatus.ARCHIVE and dossier_id not in self.session.archive_consultations:
            # REF 48: an archived dossier opens only through a consultation with a written
            # reason, journaled by ArchiveService.consult
            self.session.journal_event(Action.REFUS, "dossier", dossier_id=dossier_id,
                                       detail="archive sans motif de consultation")
            raise PermissionRefused(ARCHIVE_REASON)
        return dossier

    def rights_on(self, dossier: DossierHeader, category_id: str) -> frozenset[Access]:
        user = self.session.user
        return category_access(user.profile, user.id, user.unit_ids, category_id, scope_of(dossier))

    def require(self, dossier: DossierHeader, category_id: str, access: Access) -> None:
        """Refuse (journaled) unless the caller has this access to the category of the dossier."""
        require_category(self.session, category_id, access, scope_of(dossier), dossier.id)

    def consent_given(self, dossier_id: int, consent_type: str) -> bool:
        with self.session.reading() as conn:
            last = consents_repo.latest_consent(conn, dossier_id, consent_type)
        return last is not None and last.state == ConsentState.GIVEN.value

    def setting_on(self, name: str) -> bool:
        with self.session.reading() as conn:
            return settings_repo.flag(conn, f"setting.{name}")

    def writable(self, dossier_id: int, category_id: str) -> DossierHeader:
        """The dossier, if the caller may write this category of it now (R-4.6, R-4.10)."""
        category = self.catalogue.category(category_id)
        dossier = self.visible(dossier_id)
        if dossier.status is DossierStatus.RESTRICTED:
            self.session.journal_event(Action.REFUS, category_id, dossier_id=dossier_id,
                                       detail="dossier limité")
            raise KnownError(RESTRICTED)
        self.require(dossier, category_id, Access.WRITE)
        if category.requires_setting and not self.setting_on(category.requires_setting):
            raise KnownError(NOT_OPEN_HERE)
        if category.consent and not self.consent_given(dossier_id, category.consent):
            raise KnownError(
                f"« {category.label} » ne peut être rempli qu'après un consentement donné. "
                "Enregistrez d'abord le consentement dans l'onglet Consentements."
            )
        return dossier


@gated_service
class DossierServiceBase:
    """What every service of the dossiers holds: the session, the catalogue and the checks."""

    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        self.session = session
        self.catalogue = catalogue or load_catalogue()
        self.access = DossierAccess(session, self.catalogue)
