"""Dossier operations: every check and every journal entry happens here (R-4.1 to R-4.10, R-5.1).

Reads of non-sensitive categories are not journaled; a reveal of a sensitive category is a
journaled consultation; every write is journaled in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.auth.access import gated_service, require_category, require_right
from app.auth.permissions import UNIT_SCOPED, Access, DossierScope, Right, can_see_dossier, category_access
from app.auth.profiles import Profile
from app.catalogue import Catalogue, Category, MaskedValue, load_catalogue
from app.catalogue.display import mask
from app.dossiers.model import (
    IDENTITY_COLUMNS,
    MESURE_DEADLINE,
    MESURE_END,
    MESURE_START,
    MESURE_TYPE,
    SUIVI_DATE,
    SUIVI_TYPE,
    CategoryState,
    Consent,
    ConsentState,
    DossierHeader,
    DossierStatus,
    DossierView,
)
from app.errors import KnownError, PermissionRefused, ValidationError
from app.journal.events import Action
from app.session import Session
from storage import dossiers as repo

NOT_FOUND = "Ce dossier n'existe pas ou ne vous est pas accessible."
ARCHIVE_REASON = ("Ce dossier est en archive intermédiaire : il ne s'ouvre qu'avec le motif écrit de la "
                  "consultation (« Consulter… » dans Archives).")
RESTRICTED = (
    "Ce dossier fait l'objet d'une limitation du traitement : il est en lecture seule jusqu'à la "
    "levée de la limitation."
)
VISIBLE_STATUSES = ("active", "closed", "legal_hold", "restricted")
#: a new dossier is opened for a person of at most this age (R-4.11: young adults up to 21,
#: with room for a late entry)
MAX_AGE_NEW_DOSSIER = 26
MAJORITY = 18
#: consents collected from the young person even when a minor (R-4.6: sexual life, AU-049 art. 3)
FROM_THE_PERSON = frozenset({"vie_sexuelle"})


def _header(row: repo.DossierRow) -> DossierHeader:
    return DossierHeader(
        id=row.id, number=row.number, last_name=row.last_name, first_names=row.first_names,
        birth_date=row.birth_date, unit_id=row.unit_id, unit_name=row.unit_name,
        referent_id=row.referent_id, status=DossierStatus(row.status), opened_on=row.opened_on,
        closed_on=row.closed_on, last_contact_on=row.last_contact_on,
        next_deadline=row.next_deadline, measure_type=row.measure_type,
    )


@gated_service
class DossierService:
    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        self.session = session
        self.catalogue = catalogue or load_catalogue()

    # -- helpers ---------------------------------------------------------------------------
    @property
    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _today(self) -> dt.date:
        return self.session.clock.now().date()

    def _scope(self, row: repo.DossierRow) -> DossierScope:
        return DossierScope(row.unit_id, row.referent_id, row.status)

    def _visible(self, dossier_id: int) -> repo.DossierRow:
        row = repo.get_dossier(self.session.conn, dossier_id, MESURE_TYPE)
        user = self.session.user
        if row is None or not can_see_dossier(user.profile, user.unit_ids, self._scope(row)):
            if row is not None:
                self.session.journal_event(Action.REFUS, "dossier", dossier_id=dossier_id,
                                           detail="dossier hors périmètre")
            raise PermissionRefused(NOT_FOUND)
        if row.status == DossierStatus.ARCHIVE.value and dossier_id not in self.session.archive_consultations:
            # REF 48: an archived dossier opens only through a consultation with a written
            # reason, journaled by ArchiveService.consult
            self.session.journal_event(Action.REFUS, "dossier", dossier_id=dossier_id,
                                       detail="archive sans motif de consultation")
            raise PermissionRefused(ARCHIVE_REASON)
        return row

    def header(self, dossier_id: int) -> DossierHeader:
        """The non-sensitive header of a dossier the caller may see (a refusal is journaled)."""
        return _header(self._visible(dossier_id))

    def _access(self, row: repo.DossierRow, category_id: str) -> frozenset[Access]:
        user = self.session.user
        return category_access(user.profile, user.id, user.unit_ids, category_id, self._scope(row))

    def _consent_given(self, dossier_id: int, consent_type: str) -> bool:
        row = self.session.conn.execute(
            "SELECT state FROM consents WHERE dossier_id = ? AND consent_type = ? "
            "ORDER BY id DESC LIMIT 1",
            (dossier_id, consent_type),
        ).fetchone()
        return row is not None and row[0] == ConsentState.GIVEN.value

    def _setting(self, name: str) -> bool:
        from storage.store import get_meta

        return get_meta(self.session.conn, f"setting.{name}", "0") == "1"

    # -- plausible dates (R-4.11) ----------------------------------------------------------
    def _check_not_future(self, day: object, field_id: str, what: str) -> None:
        """A past event cannot be dated after today: "last contact" would escape retention."""
        if isinstance(day, str) and day > self._today().isoformat():
            raise ValidationError(
                f"{what} ne peut pas être postérieure à aujourd'hui ({self._today():%d/%m/%Y}). "
                "Vérifiez le jour, le mois et l'année.", field_id)

    def _check_birth_date(self, day: object, *, new_dossier: bool) -> None:
        field_id = IDENTITY_COLUMNS["birth_date"]
        self._check_not_future(day, field_id, "La date de naissance")
        if new_dossier and isinstance(day, str):
            today = self._today()
            oldest = today.replace(year=today.year - MAX_AGE_NEW_DOSSIER, day=28 if (
                today.month == 2 and today.day == 29) else today.day)
            if day < oldest.isoformat():
                raise ValidationError(
                    f"Une date de naissance antérieure au {oldest:%d/%m/%Y} (plus de "
                    f"{MAX_AGE_NEW_DOSSIER} ans) ne correspond pas à un jeune accompagné. "
                    "Vérifiez l'année.", field_id)

    # -- lists (R-4.7: only non-sensitive columns, never a sensitive criterion) ---------------
    def list_dossiers(self) -> list[repo.DossierRow]:
        require_right(self.session, Right.LIST_DOSSIERS)
        user = self.session.user
        units = user.unit_ids if user.profile in UNIT_SCOPED else None
        return repo.list_dossiers(
            self.session.conn, unit_ids=units, statuses=VISIBLE_STATUSES,
            measure_type_field=MESURE_TYPE,
        )

    def units(self) -> list[tuple[int, str]]:
        return [(int(r[0]), str(r[1])) for r in self.session.conn.execute(
            "SELECT id, name FROM units WHERE active = 1 ORDER BY name")]

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
            raise ValidationError("Le nom et le prénom sont obligatoires.", IDENTITY_COLUMNS["last_name"])
        self._check_birth_date(values.get(IDENTITY_COLUMNS["birth_date"]), new_dossier=True)
        conn = self.session.conn
        if conn.execute("SELECT 1 FROM units WHERE id = ? AND active = 1", (unit_id,)).fetchone() is None:
            raise ValidationError("Unité inconnue.", "unit_id")
        today = self._today().isoformat()
        with self.session.transaction():
            year = self._today().year % 100
            count = conn.execute(
                "SELECT count(*) FROM dossiers WHERE number LIKE ?", (f"D{year:02d}-%",)
            ).fetchone()[0]
            number = f"D{year:02d}-{int(count) + 1:05d}"
            while conn.execute("SELECT 1 FROM dossiers WHERE number = ?", (number,)).fetchone():
                count += 1
                number = f"D{year:02d}-{int(count) + 1:05d}"
            cur = conn.execute(
                "INSERT INTO dossiers (number, last_name, first_names, birth_date, unit_id, "
                "referent_id, status, opened_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (number, values[IDENTITY_COLUMNS["last_name"]],
                 values[IDENTITY_COLUMNS["first_names"]], values.get(IDENTITY_COLUMNS["birth_date"]),
                 unit_id, referent_id, "active", today, self._now, self._now),
            )
            dossier_id = int(cur.lastrowid or 0)
            self.session.record(Action.CREATION, "dossier", dossier_id=dossier_id)
        return dossier_id

    # -- reading ---------------------------------------------------------------------------
    def open_dossier(self, dossier_id: int) -> DossierView:
        """Header and non-sensitive categories; sensitive ones stay masked (R-4.8)."""
        row = self._visible(dossier_id)
        conn = self.session.conn
        states: dict[str, CategoryState] = {}
        for category in self.catalogue.categories:
            if category.requires_setting and not self._setting(category.requires_setting):
                continue
            access = self._access(row, category.id)
            readable = Access.READ in access
            consent_given = self._consent_given(dossier_id, category.consent) if category.consent else True
            values: dict[str, Any] | None = None
            if readable and not category.sensitive and not category.repeating:
                values = self._masked(category, repo.category_values(conn, dossier_id, category.id))
                if category.id == "identite":
                    values.update(self._identity_columns(row))
            states[category.id] = CategoryState(
                category_id=category.id,
                readable=readable,
                writable=Access.WRITE in access,
                sensitive=category.sensitive,
                needs_consent=category.consent,
                consent_given=consent_given,
                values=values,
            )
        consent_access = self._access(row, "consentements")
        readable = Access.READ in consent_access
        consents = self.consents(dossier_id) if readable else []
        return DossierView(
            _header(row), states, tuple(consents), consents_readable=readable,
            consents_writable=Access.WRITE in consent_access
            and row.status != DossierStatus.RESTRICTED.value,
        )

    def _identity_columns(self, row: repo.DossierRow) -> dict[str, Any]:
        return {
            IDENTITY_COLUMNS["last_name"]: row.last_name,
            IDENTITY_COLUMNS["first_names"]: row.first_names,
            IDENTITY_COLUMNS["birth_date"]: row.birth_date,
        }

    @staticmethod
    def _masked(category: Category, values: dict[str, Any]) -> dict[str, Any]:
        """A sensitive field of a non-sensitive category (the NIR, the IBAN) leaves the service
        masked; only ``reveal_field`` returns it, journaled (R-4.8)."""
        if category.sensitive:
            return values  # the whole category is read through its journaled reveal
        for field in category.fields:
            value = values.get(field.id)
            if field.sensitive and value not in (None, ""):
                values[field.id] = mask(field, value)
        return values

    def reveal_field(self, dossier_id: int, category_id: str, field_id: str) -> Any:
        """Show one sensitive field in clear (the NIR, the IBAN): a journaled consultation of
        that field (R-4.8, R-5.1). Returns None when the field is empty."""
        category = self.catalogue.category(category_id)
        field = category.field(field_id)
        if not field.is_sensitive_in(category):
            raise ValidationError("Ce champ n'est pas masqué : il s'affiche sans demande.", field_id)
        row = self._visible(dossier_id)
        require_category(self.session, category_id, Access.READ, self._scope(row), dossier_id)
        if category.consent and not self._consent_given(dossier_id, category.consent):
            return None
        with self.session.transaction() as conn:
            value = repo.category_values(conn, dossier_id, category_id).get(field_id)
            self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id,
                                detail=f"champ {field_id}")
        return value

    def reveal(self, dossier_id: int, category_id: str) -> dict[str, Any]:
        """Read a sensitive category: a journaled consultation (R-4.8, R-5.1)."""
        category = self.catalogue.category(category_id)
        row = self._visible(dossier_id)
        require_category(self.session, category_id, Access.READ, self._scope(row), dossier_id)
        if category.consent and not self._consent_given(dossier_id, category.consent):
            # REF 23 example 1: without a live consent these data are shown to nobody
            # (not even values recorded before the consent was required): nothing is read.
            return {}
        with self.session.transaction() as conn:
            values = repo.category_values(conn, dossier_id, category_id)
            if category.sensitive:
                self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id)
        return self._masked(category, values)

    def read_category(self, dossier_id: int, category_id: str) -> dict[str, Any]:
        category = self.catalogue.category(category_id)
        if category.sensitive:
            return self.reveal(dossier_id, category_id)
        row = self._visible(dossier_id)
        require_category(self.session, category_id, Access.READ, self._scope(row), dossier_id)
        values = self._masked(category, repo.category_values(self.session.conn, dossier_id, category_id))
        if category_id == "identite":
            values.update(self._identity_columns(row))
        return values

    # -- writing ---------------------------------------------------------------------------
    def _writable(self, dossier_id: int, category_id: str) -> repo.DossierRow:
        category = self.catalogue.category(category_id)
        row = self._visible(dossier_id)
        if row.status == DossierStatus.RESTRICTED.value:
            self.session.journal_event(Action.REFUS, category_id, dossier_id=dossier_id,
                                       detail="dossier limité")
            raise KnownError(RESTRICTED)
        require_category(self.session, category_id, Access.WRITE, self._scope(row), dossier_id)
        if category.requires_setting and not self._setting(category.requires_setting):
            raise KnownError(
                "Cette catégorie n'est pas ouverte pour votre organisme (réservée aux organismes "
                "chargés d'une mission de service public)."
            )
        if category.consent and not self._consent_given(dossier_id, category.consent):
            raise KnownError(
                f"« {category.label} » ne peut être rempli qu'après un consentement donné. "
                "Enregistrez d'abord le consentement dans l'onglet Consentements."
            )
        return row

    def save_category(self, dossier_id: int, category_id: str, values: Mapping[str, Any]) -> list[str]:
        """Validate against the catalogue, write, journal; returns the changed field ids."""
        row = self._writable(dossier_id, category_id)
        category = self.catalogue.category(category_id)
        if category.repeating:
            raise ValidationError("Cette catégorie se remplit par entrées (« Nouvelle entrée »).")
        existing = repo.category_values(self.session.conn, dossier_id, category_id)
        clean: dict[str, Any] = {}
        for field_id, value in values.items():
            if isinstance(value, MaskedValue):
                continue  # a masked field sent back as it was shown: the stored value stays
            # Old data may keep a retired item; a new choice must be an active one.
            new_entry = existing.get(field_id) != value
            clean[field_id] = self.catalogue.validate_value(category_id, field_id, value, new_entry=new_entry)
        identity: dict[str, Any] = {}
        if category_id == "identite":
            for column, field_id in IDENTITY_COLUMNS.items():
                if field_id in clean:
                    identity[column] = clean.pop(field_id)
            if any(identity.get(c) in (None, "") for c in ("last_name", "first_names") if c in identity):
                raise ValidationError("Le nom et le prénom sont obligatoires.", IDENTITY_COLUMNS["last_name"])
            if identity.get("birth_date") != row.birth_date:
                self._check_birth_date(identity.get("birth_date"), new_dossier=False)
        with self.session.transaction() as conn:
            changed = repo.write_values(conn, dossier_id, category_id, clean, self._now)
            current = self._identity_columns(row)
            for column, value in identity.items():
                if current[IDENTITY_COLUMNS[column]] != value:
                    conn.execute(f"UPDATE dossiers SET {column} = ? WHERE id = ?", (value, dossier_id))
                    changed.append(IDENTITY_COLUMNS[column])
            if changed:
                conn.execute("UPDATE dossiers SET updated_at = ? WHERE id = ?", (self._now, dossier_id))
                self.session.record(
                    Action.MODIFICATION, category_id, dossier_id=dossier_id,
                    detail="champs : " + ", ".join(sorted(changed)),
                )
        return changed

    def add_record(self, dossier_id: int, category_id: str, values: Mapping[str, Any]) -> int:
        """A measure, follow-up entry or person involved (R-4.5)."""
        self._writable(dossier_id, category_id)
        category = self.catalogue.category(category_id)
        if not category.repeating:
            raise ValidationError("Cette catégorie n'accepte pas d'entrées multiples.")
        clean = self.catalogue.validate_record(category_id, values)
        self._check_record_dates(category_id, clean)
        record_date, deadline = record_dates(category_id, clean)
        with self.session.transaction() as conn:
            record_id = repo.insert_record(
                conn, dossier_id, category_id, clean, record_date=record_date, deadline=deadline,
                author_id=self.session.user.id, now=self._now,
            )
            if category_id == "suivi" and self._counts_as_contact(clean) and record_date:
                conn.execute(
                    "UPDATE dossiers SET last_contact_on = max(coalesce(last_contact_on, ''), ?) "
                    "WHERE id = ?",
                    (record_date, dossier_id),
                )
            self.session.record(Action.CREATION, category_id, dossier_id=dossier_id,
                                detail=f"entrée {record_id}")
        return record_id

    def _check_record_dates(self, category_id: str, values: Mapping[str, Any]) -> None:
        """Plausible dates of an entry, new or corrected (R-4.11): no follow-up after today (so
        « last contact » cannot escape retention), no measure ending before it starts."""
        record_date, _ = record_dates(category_id, values)
        if category_id == "suivi":
            self._check_not_future(record_date, SUIVI_DATE, "La date de l'entrée de suivi")
        if category_id == "mesures":
            start, end = values.get(MESURE_START), values.get(MESURE_END)
            if isinstance(start, str) and isinstance(end, str) and end < start:
                raise ValidationError("La mesure ne peut pas se terminer avant d'avoir commencé : "
                                      "vérifiez la date de fin.", MESURE_END)

    def _counts_as_contact(self, values: Mapping[str, Any]) -> bool:
        kind = values.get(SUIVI_TYPE)
        if not isinstance(kind, str):
            return False
        field = self.catalogue.category("suivi").field(SUIVI_TYPE)
        assert field.vocabulary
        for item in self.catalogue.vocabulary(field.vocabulary).items:
            if item.code == kind:
                return bool(getattr(item, "counts_as_contact", False))
        return False

    def list_records(self, dossier_id: int, category_id: str) -> list[repo.RecordRow]:
        category = self.catalogue.category(category_id)
        row = self._visible(dossier_id)
        require_category(self.session, category_id, Access.READ, self._scope(row), dossier_id)
        if category.sensitive:
            with self.session.transaction():
                self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id)
        return repo.list_records(self.session.conn, dossier_id, category_id)

    # -- consents (R-4.6) ------------------------------------------------------------------
    def consents(self, dossier_id: int) -> list[Consent]:
        """The consent records of a dossier, for a profile that may read them on this dossier
        (its units, R-3.5); a refusal is journaled."""
        row = self._visible(dossier_id)
        require_category(self.session, "consentements", Access.READ, self._scope(row), dossier_id)
        rows = self.session.conn.execute(
            "SELECT id, consent_type, given_by, given_by_role, form, scope, state, recorded_on, "
            "withdrawn_on FROM consents WHERE dossier_id = ? ORDER BY id", (dossier_id,)
        ).fetchall()
        return [Consent(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]),
                        ConsentState(r[6]), str(r[7]), r[8]) for r in rows]

    def consent_types(self) -> list[tuple[str, str]]:
        """(consent id, label of the category it opens)."""
        return [(c.consent, c.label) for c in self.catalogue.categories if c.consent]

    def record_consent(
        self, dossier_id: int, *, consent_type: str, given_by: str, given_by_role: str,
        form: str, state: str, scope: str = "", recorded_on: Any = None,
    ) -> int:
        row = self._visible(dossier_id)
        if row.status == DossierStatus.RESTRICTED.value:
            raise KnownError(RESTRICTED)
        require_category(self.session, "consentements", Access.WRITE, self._scope(row), dossier_id)
        if consent_type not in {c for c, _ in self.consent_types()}:
            raise ValidationError("Type de consentement inconnu.", "consent_type")
        clean = self._consent_fields(row, consent_type, given_by=given_by, given_by_role=given_by_role,
                                     form=form, state=state, scope=scope, recorded_on=recorded_on)
        given_by, day = clean["given_by"], clean["recorded_on"]
        state_value = ConsentState(clean["state"])
        if state_value is ConsentState.WITHDRAWN:
            raise ValidationError("Utilisez « Retirer le consentement » pour un retrait.", "state")
        label = dict(self.consent_types())[consent_type]
        with self.session.transaction() as conn:
            last = conn.execute(
                "SELECT id, state, recorded_on FROM consents WHERE dossier_id = ? AND consent_type = ? "
                "ORDER BY id DESC LIMIT 1", (dossier_id, consent_type)).fetchone()
            live = ConsentState(last[1]) if last is not None else None
            if live is ConsentState.GIVEN:
                raise KnownError(
                    f"Un consentement est déjà donné pour « {label} » (enregistré au "
                    f"{dt.date.fromisoformat(str(last[2])):%d/%m/%Y}) : il n'en faut qu'un. S'il "
                    "a été retiré, utilisez « Retirer le consentement » avant d'en enregistrer un nouveau.")
            if live is ConsentState.REQUESTED and state_value is ConsentState.REQUESTED:
                raise KnownError(
                    f"Un consentement est déjà demandé pour « {label} » : enregistrez la réponse "
                    "(donné ou refusé) plutôt qu'une seconde demande.")
            if live is ConsentState.REQUESTED:
                # the answer to the pending request completes that record (R-4.6: requested → given / refused)
                consent_id = int(last[0])
                conn.execute(
                    "UPDATE consents SET given_by = ?, given_by_role = ?, form = ?, scope = ?, state = ?, "
                    "recorded_on = ?, recorded_by = ? WHERE id = ?",
                    (given_by, given_by_role, form, scope, state_value.value, day,
                     self.session.user.id, consent_id))
                self.session.record(Action.MODIFICATION, "consentements", dossier_id=dossier_id,
                                    detail=f"{consent_type} : requested -> {state_value.value}")
                return consent_id
            cur = conn.execute(
                "INSERT INTO consents (dossier_id, consent_type, given_by, given_by_role, form, scope, "
                "state, recorded_on, recorded_by) VALUES (?,?,?,?,?,?,?,?,?)",
                (dossier_id, consent_type, given_by, given_by_role, form, scope, state_value.value,
                 day, self.session.user.id),
            )
            self.session.record(Action.CREATION, "consentements", dossier_id=dossier_id,
                                detail=f"{consent_type} : {state_value.value}")
        return int(cur.lastrowid or 0)

    def _consent_fields(
        self, row: repo.DossierRow, consent_type: str, *, given_by: str, given_by_role: str, form: str,
        state: str, scope: str, recorded_on: Any,
    ) -> dict[str, str]:
        """The checked fields of a consent, new or corrected (R-4.6; its real date, R-4.11)."""
        given_by = (given_by or "").strip()
        if not given_by or len(given_by) > 120 or any(ord(ch) < 32 for ch in given_by):
            raise ValidationError("Indiquez qui donne le consentement (120 caractères au plus).", "given_by")
        if given_by_role not in ("jeune", "representant_legal"):
            raise ValidationError("Le consentement est donné par le jeune ou son représentant légal.", "given_by_role")
        self._check_holder(row, consent_type, given_by_role)
        if form not in ("ecrit", "oral"):
            raise ValidationError("Forme du consentement : écrit ou oral.", "form")
        try:
            state_value = ConsentState(state)
        except ValueError:
            raise ValidationError("État du consentement inconnu.", "state") from None
        scope = scope or ""
        if len(scope) > 300 or "\x00" in scope:
            raise ValidationError("La portée du consentement fait 300 caractères au plus.", "scope")
        day = (self.catalogue.validate_value("suivi", SUIVI_DATE, recorded_on) if recorded_on
               else self._today().isoformat())
        self._check_not_future(day, "recorded_on", "La date du consentement")
        return {"given_by": given_by, "given_by_role": given_by_role, "form": form,
                "state": state_value.value, "scope": scope, "recorded_on": str(day)}

    def _age(self, row: repo.DossierRow) -> int | None:
        return _header(row).age(self._today())

    def default_consent_holder(self, dossier_id: int, consent_type: str) -> tuple[str, str]:
        """(role, name) offered by default for a new consent (R-4.6): the young person for a
        consent collected from the person (sexual life) or for a young adult, the legal
        representative for a minor (whose name the form asks for)."""
        row = self._visible(dossier_id)
        require_category(self.session, "consentements", Access.READ, self._scope(row), dossier_id)
        name = f"{row.first_names} {row.last_name}".strip()
        age = self._age(row)
        if consent_type in FROM_THE_PERSON or (age is not None and age >= MAJORITY):
            return "jeune", name
        if age is None:
            return "jeune", ""
        return "representant_legal", ""

    def _check_holder(self, row: repo.DossierRow, consent_type: str, role: str) -> None:
        """REF 23: sexual life from the person; health (example 1) and convictions (example 3)
        from the young adult, or from the legal representative of a minor."""
        age = self._age(row)
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

    def withdraw_consent(self, dossier_id: int, consent_type: str, *, confirmed: bool) -> int:
        """Withdrawal deletes the category's data, after confirmation (R-4.6). Returns rows deleted."""
        if not confirmed:
            raise KnownError("Le retrait du consentement doit être confirmé : les données liées seront supprimées.")
        row = self._visible(dossier_id)
        require_category(self.session, "consentements", Access.WRITE, self._scope(row), dossier_id)
        categories = [c.id for c in self.catalogue.categories if c.consent == consent_type]
        if not categories:
            raise ValidationError("Type de consentement inconnu.", "consent_type")
        with self.session.transaction() as conn:
            last = conn.execute(
                "SELECT id FROM consents WHERE dossier_id = ? AND consent_type = ? ORDER BY id DESC LIMIT 1",
                (dossier_id, consent_type),
            ).fetchone()
            if last is None:
                raise KnownError("Aucun consentement enregistré pour cette catégorie.")
            conn.execute(
                "UPDATE consents SET state = 'withdrawn', withdrawn_on = ? WHERE id = ?",
                (self._today().isoformat(), int(last[0])),
            )
            deleted = 0
            for category_id in categories:
                deleted += repo.delete_category(conn, dossier_id, category_id)
                self.session.record(Action.SUPPRESSION, category_id, dossier_id=dossier_id,
                                    detail="retrait du consentement")
        return deleted

    # -- statuses (R-4.10) ------------------------------------------------------------------
    def exit_reasons(self) -> list[tuple[str, str]]:
        return [(i.code, i.label) for i in self.catalogue.vocabulary("motif_sortie").active_items]

    def close_dossier(self, dossier_id: int, *, closed_on: Any, reason: str) -> None:
        """End of care: the date and reason are kept; retention counts from the last contact."""
        require_right(self.session, Right.CLOSE_DOSSIER)
        row = self._visible(dossier_id)
        if row.status != DossierStatus.ACTIVE.value:
            raise KnownError("Seul un dossier en cours peut être clôturé.")
        day = self.catalogue.validate_value("suivi", SUIVI_DATE, closed_on)
        if not isinstance(day, str) or day > self._today().isoformat():
            raise ValidationError("Indiquez la date de fin de prise en charge (aujourd'hui au plus tard).",
                                  "closed_on")
        if reason not in {code for code, _ in self.exit_reasons()}:
            raise ValidationError("Choisissez le motif de fin de prise en charge dans la liste.", "reason")
        with self.session.transaction() as conn:
            conn.execute(
                "UPDATE dossiers SET status = 'closed', closed_on = ?, status_reason = ?, updated_at = ? "
                "WHERE id = ?", (day, reason, self._now, dossier_id))
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail=f"clôture ({reason})")

    def set_restriction(self, dossier_id: int, *, restricted: bool) -> None:
        """Right to restriction (R-4.10, R-7.3): the dossier becomes read-only until lifted."""
        require_right(self.session, Right.RESTRICT_DOSSIER)
        row = self._visible(dossier_id)
        target = DossierStatus.RESTRICTED if restricted else DossierStatus.ACTIVE
        if restricted and row.status != DossierStatus.ACTIVE.value:
            raise KnownError("Seul un dossier en cours peut être limité.")
        if not restricted and row.status != DossierStatus.RESTRICTED.value:
            raise KnownError("Ce dossier n'est pas limité.")
        with self.session.transaction() as conn:
            conn.execute("UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?",
                         (target.value, self._now, dossier_id))
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail="limitation" if restricted else "levée de la limitation")

    def referent_candidates(self, dossier_id: int) -> list[tuple[int, str]]:
        """Active educators and heads of service of the dossier's unit."""
        row = self._visible(dossier_id)
        return [(int(r[0]), str(r[1])) for r in self.session.conn.execute(
            "SELECT u.id, u.display_name FROM users u JOIN user_units uu ON uu.user_id = u.id "
            "WHERE uu.unit_id = ? AND u.active = 1 AND u.profile IN ('educateur', 'chef_service') "
            "ORDER BY u.display_name", (row.unit_id,))]

    def referent_name(self, dossier_id: int) -> str:
        row = self._visible(dossier_id)
        if row.referent_id is None:
            return ""
        found = self.session.conn.execute(
            "SELECT display_name FROM users WHERE id = ?", (row.referent_id,)).fetchone()
        return str(found[0]) if found else ""

    def set_referent(self, dossier_id: int, user_id: int | None) -> None:
        """The référent reads the social evaluation (R-3.5); the change is journaled."""
        require_right(self.session, Right.ASSIGN_REFERENT)
        row = self._visible(dossier_id)
        if user_id is not None and user_id not in {uid for uid, _ in self.referent_candidates(dossier_id)}:
            raise ValidationError("Le référent doit être un éducateur ou un chef de service actif de "
                                  "l'unité du dossier.", "referent")
        with self.session.transaction() as conn:
            conn.execute("UPDATE dossiers SET referent_id = ?, updated_at = ? WHERE id = ?",
                         (user_id, self._now, dossier_id))
            self.session.record(Action.MODIFICATION, "dossier", dossier_id=dossier_id,
                                detail=f"référent {row.referent_id or '-'} -> {user_id or '-'}")

    def can(self, right: Right) -> bool:
        from app.auth.permissions import has_right

        return has_right(self.session.user.profile, right)

    # -- profile helpers for the UI --------------------------------------------------------
    def can_create(self) -> bool:
        from app.auth.permissions import has_right

        return has_right(self.session.user.profile, Right.CREATE_DOSSIER)

    def is_unit_scoped(self) -> bool:
        return self.session.user.profile in UNIT_SCOPED

    @property
    def profile(self) -> Profile:
        return self.session.user.profile


def record_dates(category_id: str, values: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The date that orders a record in its timeline, and the deadline it carries, if any."""
    if category_id == "suivi":
        return (values.get(SUIVI_DATE) if isinstance(values.get(SUIVI_DATE), str) else None), None
    if category_id == "mesures":
        start = values.get(MESURE_START)
        deadline = values.get(MESURE_DEADLINE)
        return (start if isinstance(start, str) else None), (deadline if isinstance(deadline, str) else None)
    return None, None
