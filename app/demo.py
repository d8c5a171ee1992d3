"""The demo workspace: fictive data for every part of the model (R-2.7, REF 68).

Also the data generator of the benchmarks (``--youths``, ``--journal-rows``, ``--seed``).
Every value is drawn from the catalogue and validated by it; the names are invented.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.auth.password_policy import generate_password
from app.auth.profiles import Profile
from app.auth.service import AccountService
from app.catalogue import Catalogue, Field, FieldType, load_catalogue, nir_key
from app.clock import Clock, OffsetClock
from app.dossiers.consents import FROM_THE_PERSON, MAJORITY
from app.dossiers.dates import record_dates
from app.dossiers.model import (
    IDENTITY_COLUMNS,
    MESURE_DEADLINE,
    MESURE_END,
    MESURE_START,
    MESURE_TYPE,
    SUIVI_DATE,
    SUIVI_TYPE,
)
from app.errors import KnownError, WorkspaceError
from app.journal.events import Action
from app.session import Session
from app.workspace import AppContext, Workspace
from storage import demo as demo_repo
from storage import retention as retention_repo
from storage.connection import Connection
from storage.journal import to_micros

DEMO_ORG = "MECS Les Tilleuls (démonstration)"
HISTORY = dt.timedelta(days=365)
DEMO_UNITS = ("Les Lilas", "Les Érables", "Service AEMO", "Appartements FJT")

LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Diallo", "Traoré",
    "Nguyen", "Benali", "Haddad", "Kone", "Da Silva", "Ferreira", "Yilmaz", "Popescu",
)
#: first names by the SEXE code of D2016 (1 boy, 2 girl), so that a dossier's sex matches its name
FIRST_NAMES_BY_SEX = {
    "1": ("Lucas", "Hugo", "Louis", "Nathan", "Enzo", "Léo", "Gabriel", "Arthur", "Jules", "Adam",
          "Raphaël", "Mohamed", "Noah", "Ethan", "Tom", "Théo", "Yanis", "Sacha", "Kylian",
          "Ibrahim", "Amadou", "Mamadou", "Rayan", "Ilyes", "Timéo"),
    "2": ("Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Rose", "Léa", "Manon", "Inès",
          "Sarah", "Camille", "Zoé", "Lola", "Anna", "Mila", "Ambre", "Nina", "Maëlys", "Aya",
          "Fatou", "Awa", "Yasmine", "Sofia", "Eva"),
}
FIRST_NAMES = FIRST_NAMES_BY_SEX["1"] + FIRST_NAMES_BY_SEX["2"]
#: measure types that fit a minor, and those that fit a young adult (18–21)
MINOR_MEASURES = ("accueil_provisoire", "accueil_urgence", "placement_judiciaire", "opp", "aemo",
                  "aed", "contrat_sejour", "dipec", "ppe", "mjie", "tutelle", "dap")
ADULT_MEASURES = ("cjm", "contrat_sejour", "dipec")
CITIES = ("Nantes", "Rennes", "Angers", "Le Mans", "Tours", "Laval", "Saint-Nazaire", "Cholet")
SCHOOLS = ("Collège Jules Verne", "Lycée Carcouët", "École Jean Moulin", "Collège Rosa Parks",
           "Lycée professionnel Michelet", "CFA du bâtiment")
COURTS = ("Tribunal judiciaire de Nantes", "Tribunal judiciaire d'Angers",
          "Tribunal judiciaire de Rennes")
NOTES = (
    "Entretien calme, le jeune a exprimé son souhait de reprendre le football.",
    "Rendez-vous fixé avec le collège pour faire le point sur l'orientation.",
    "Appel de la mère pour organiser la visite du week-end.",
    "Point sur le budget du mois et l'ouverture d'un compte.",
    "Préparation de l'audience avec le jeune, questions notées.",
    "Visite de l'appartement, démarches de logement en cours.",
)

STATUS_WEIGHTS = (("active", 70), ("closed", 14), ("archive", 5), ("legal_hold", 3), ("restricted", 8))

DEMO_ACCOUNTS: tuple[tuple[str, str, Profile, tuple[str, ...]], ...] = (
    ("direction", "Hélène Fabre", Profile.DIRECTION, ()),
    ("chef", "Marc Lemoine", Profile.CHEF_SERVICE, ("Les Lilas", "Les Érables")),
    ("educ", "Sophie Renaud", Profile.EDUCATEUR, ("Les Lilas",)),
    ("soignant", "Karim Belkacem", Profile.SOIGNANT, ("Les Lilas", "Les Érables")),
    ("secretariat", "Julie Caron", Profile.SECRETARIAT, ()),
    ("admin", "Pierre Vasseur", Profile.ADMIN_TECHNIQUE, ()),
    ("archiviste", "Anne Collet", Profile.ARCHIVISTE, ()),
)


@dataclass(frozen=True)
class DemoOptions:
    youths: int = 60
    journal_rows: int = 5000
    seed: int = 2026


@dataclass(frozen=True)
class DemoAccount:
    login: str
    password: str
    profile: str


@dataclass(frozen=True)
class DemoResult:
    accounts: tuple[DemoAccount, ...]
    recovery_key: str


#: a field the coherence rules leave empty on purpose
_SKIP = object()


class DemoCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__("Création de la démonstration annulée : rien n'a été conservé.")


def create_demo(workspace: Workspace, options: DemoOptions) -> DemoResult:
    """Create (or re-create, if it is a demo) the workspace and fill it with fictive data.

    The progress callback may return False to cancel: the half-made demo is then removed.
    """
    try:
        return _create_demo(workspace, options)
    except DemoCancelled:
        if workspace.is_demo():
            _remove_demo(workspace)
        raise


def _create_demo(workspace: Workspace, options: DemoOptions) -> DemoResult:
    if workspace.exists():
        if not workspace.is_demo():
            raise WorkspaceError(
                f"« {workspace.root} » contient un vrai espace de travail : la démonstration ne "
                "l'écrasera pas. Choisissez un autre dossier avec --workspace."
            )
        _remove_demo(workspace)
    rng = random.Random(options.seed)  # noqa: S311 - fictive data, reproducible from --seed
    passwords = {login: generate_password() for login, *_ in DEMO_ACCOUNTS}
    director_login, director_name, _, _ = DEMO_ACCOUNTS[0]
    # The demo is written as if it had been created a year ago, so that its journal history
    # sits in its own month partitions (seq order = time order) over the last 12 months.
    real = workspace.context.clock
    clock = OffsetClock(real, -HISTORY)
    past = Workspace(workspace.root, AppContext(clock=clock, kdf_policy=workspace.context.kdf_policy,
                                                progress=workspace.context.progress))
    recovery = past.create(
        org_name=DEMO_ORG, admin_login=director_login, admin_name=director_name,
        password=passwords[director_login], units=DEMO_UNITS, demo=True,
    )
    session = past.login(director_login, passwords[director_login])
    try:
        accounts = AccountService(session)
        # the fictive director who fills the demo has accepted the charter (every service asks
        # it, R-3.5); every account's acceptance is cleared at the end, so that a person trying
        # the demo meets the charter at their first login
        accounts.accept_charter()
        for login, name, profile, units in DEMO_ACCOUNTS[1:]:
            accounts.create_user(login=login, display_name=name, profile=profile, units=units,
                                 password=passwords[login])
        filler = _Filler(session, rng, options, past, real)
        filler.run()
        clock.offset = dt.timedelta(0)
        with session.transaction() as conn:
            demo_repo.clear_charter_acceptances(conn)
            for login, days in (("direction", 1), ("chef", 2), ("educ", 1), ("soignant", 6),
                                ("secretariat", 3), ("admin", 20), ("archiviste", 240)):
                when = (real.now() - dt.timedelta(days=days)).isoformat(timespec="seconds")
                demo_repo.set_last_login(conn, login, when)
            _retention_decisions(conn, rng, session.user.id, real.now())
            session.record(Action.ESPACE, "espace", detail="données fictives générées")
    finally:
        session.close()
        past.release()
        workspace.release()
    return DemoResult(
        tuple(DemoAccount(login, passwords[login], profile.value) for login, _, profile, _ in DEMO_ACCOUNTS),
        recovery,
    )


def _retention_decisions(conn: Connection, rng: random.Random, director: int, now: dt.datetime) -> None:
    """The decisions behind the archived and held demo dossiers (R-6.3): an archive with its end
    date, a legal hold with its review date, each with its reason, as the director took them."""
    reasons = {
        "archive": ("archive", "Prescription de l'action en responsabilité (10 ans)", 365 * 3, 365 * 8),
        "legal_hold": ("legal_hold", "Contentieux en cours devant le tribunal judiciaire", 30, 300),
    }
    for dossier_id, status in demo_repo.dossiers_in(conn, reasons):
        kind, reason, low, high = reasons[status]
        decided = now - dt.timedelta(days=rng.randint(20, 200))
        until = (now + dt.timedelta(days=rng.randint(low, high))).date().isoformat()
        retention_repo.add_decision(conn, dossier_id, kind, reason, until, director,
                                    decided.isoformat(timespec="seconds"))


#: what Sillage itself writes in a workspace folder: all a demo re-creation may delete (R-2.9)
_OWN_FILES = re.compile(
    r"^(sillage\.db(-wal|-shm|-journal)?|keyslots\.json|auth_state\.json|sillage\.lock|DEMO"
    r"|\.(keyslots\.json|auth_state\.json|DEMO)\..+\.tmp)$"
)
_OWN_DIRS = frozenset({"journal", "migrations"})


def _foreign_entries(root: Path) -> list[str]:
    return sorted(
        p.name for p in root.iterdir()
        if not (p.is_dir() and not p.is_symlink() and p.name in _OWN_DIRS)
        and not (p.is_file() and _OWN_FILES.match(p.name))
    )


def _remove_demo(workspace: Workspace) -> None:
    """Delete a demo, and only the files Sillage created in it (R-2.9)."""
    import shutil

    workspace.acquire()
    workspace.release()
    foreign = _foreign_entries(workspace.root)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise WorkspaceError(
            f"Le dossier de démonstration « {workspace.root} » contient aussi des fichiers qui ne "
            f"viennent pas de Sillage ({shown}) : rien n'a été supprimé. Déplacez-les ou choisissez "
            "un autre dossier avec --workspace."
        )
    for child in workspace.root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def iban_fr(rng: random.Random) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(23))
    numeric = int(bban + "152700")  # F=15 R=27, then "00"
    return f"FR{98 - numeric % 97:02d}{bban}"


class _Filler:
    def __init__(self, session: Session, rng: random.Random, options: DemoOptions,
                 workspace: Workspace, real: Clock) -> None:
        self.session = session
        self.conn = session.conn
        self.rng = rng
        self.options = options
        self.catalogue: Catalogue = load_catalogue()
        self.real = real
        self.today = real.now().date()
        self.progress = workspace.context.progress
        self.users = demo_repo.user_ids(self.conn)
        self.units = demo_repo.unit_ids(self.conn)

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None and self.progress(done, total) is False:
            raise DemoCancelled()

    # -- values ----------------------------------------------------------------------------
    def value_for(self, field: Field, ctx: dict[str, str]) -> object | None:
        rng = self.rng
        t = field.type
        if t in (FieldType.CHOICE, FieldType.MULTI):
            assert field.vocabulary
            codes = [i.code for i in self.catalogue.vocabulary(field.vocabulary).active_items]
            if t is FieldType.CHOICE:
                return rng.choice(codes)
            return sorted(rng.sample(codes, k=min(len(codes), rng.randint(1, 3))))
        if t is FieldType.YESNO:
            return rng.choice(("oui", "non"))
        if t is FieldType.YESNOUNKNOWN:
            return rng.choice(("oui", "non", "inconnu"))
        if t is FieldType.DATE:
            return (self.today - dt.timedelta(days=rng.randint(10, 1500))).isoformat()
        if t is FieldType.MONTH:
            day = self.today - dt.timedelta(days=rng.randint(30, 900))
            return f"{day.year:04d}-{day.month:02d}"
        if t is FieldType.NUMBER:
            low = int(field.min if field.min is not None else 0)
            high = int(field.max if field.max is not None else low + 10)
            return rng.randint(low, min(high, low + 10))
        if t is FieldType.NIR:
            birth = ctx["birth"]
            sex = ctx.get("sex", rng.choice("12"))
            first13 = f"{sex}{birth[2:4]}{birth[5:7]}44{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
            return f"{first13}{nir_key(first13):02d}"
        if t is FieldType.IBAN:
            return iban_fr(rng)
        if t is FieldType.EMAIL:
            return f"contact{rng.randint(1, 999)}@exemple.fr"
        if t is FieldType.PHONE:
            return f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if t is FieldType.REF_UNIT:
            return rng.choice(self.units)
        if t is FieldType.REF_CONTACT:
            return None
        if t is FieldType.NOTE:
            return rng.choice(NOTES)[: field.max_length or 500]
        return self.text_for(field, ctx)[: field.max_length or 100]

    def coherent_value(self, category_id: str, field: Field, ctx: dict[str, str]) -> object:
        """Values that must agree with the person: sex and first name, measures and age,
        pregnancy and siblings (demos and trainings depend on it). None: no rule applies."""
        rng, fid = self.rng, field.id
        birth = dt.date.fromisoformat(ctx["birth"])
        adult = int(ctx["age"]) >= 18
        if (category_id, fid) == ("identite", "sexe"):
            return ctx["sex"]
        if category_id == "mesures":
            if fid == MESURE_TYPE:
                ctx["measure"] = rng.choice(ADULT_MEASURES if adult else MINOR_MEASURES)
                return ctx["measure"]
            if fid == MESURE_START:
                # after the birth, and after the 18th birthday for a young adult's contract
                earliest = birth + dt.timedelta(days=30)
                if ctx.get("measure") == "cjm":
                    earliest = birth.replace(year=birth.year + 18, day=min(birth.day, 28))
                earliest = max(earliest, self.today - dt.timedelta(days=1500))
                span = max((self.today - earliest).days - 10, 1)
                ctx["measure_start"] = (earliest + dt.timedelta(days=rng.randint(0, span))).isoformat()
                return ctx["measure_start"]
            if fid == MESURE_END:
                start = dt.date.fromisoformat(ctx.get("measure_start", self.today.isoformat()))
                return min(start + dt.timedelta(days=rng.randint(30, 700)), self.today).isoformat()
            if fid == MESURE_DEADLINE:
                return (self.today + dt.timedelta(days=rng.randint(-30, 300))).isoformat()
        if category_id == "sante":
            plausible = ctx["sex"] == "2" and int(ctx["age"]) >= 14 and rng.random() < 0.15
            if fid == "suivi_grossesse":
                return "oui" if plausible else "non"
            if fid == "terme_prevu":
                return (self.today + dt.timedelta(days=rng.randint(20, 200))).isoformat() if plausible else _SKIP
        if category_id == "vie_personnelle" and fid in ("freres_soeurs", "fratrie_placee_nombre",
                                                        "fratrie_placee"):
            siblings = ctx.setdefault("siblings", str(rng.choice((0, 1, 1, 2, 2, 3, 4, 5))))
            placed = ctx.setdefault("placed", str(rng.randint(0, int(siblings))))
            if fid == "freres_soeurs":
                return int(siblings)
            if fid == "fratrie_placee_nombre":
                return int(placed) if int(placed) else _SKIP
            return "oui" if int(placed) else "non"
        return None

    def text_for(self, field: Field, ctx: dict[str, str]) -> str:
        fid = field.id
        rng = self.rng
        if "prenom" in fid:
            return rng.choice(FIRST_NAMES_BY_SEX[ctx["sex"]] if "sex" in ctx else FIRST_NAMES)
        if "nom" in fid:
            return rng.choice(LAST_NAMES)
        if any(k in fid for k in ("lieu", "ville", "commune")):
            return rng.choice(CITIES)
        if "adresse" in fid:
            return f"{rng.randint(1, 90)} rue des Tilleuls, {rng.choice(CITIES)}"
        if any(k in fid for k in ("ecole", "etablissement")):
            return rng.choice(SCHOOLS)
        if any(k in fid for k in ("tribunal", "juridiction", "court")):
            return rng.choice(COURTS)
        if "allocataire" in fid:
            return f"{rng.randint(1000000, 9999999)}"
        if "titulaire" in fid:
            return ctx["name"]
        return "Information fictive"

    def record(self, category_id: str, ctx: dict[str, str], fill: float) -> dict[str, object]:
        category = self.catalogue.category(category_id)
        values: dict[str, object] = {}
        for field in category.fields:
            if field.id in IDENTITY_COLUMNS.values():
                continue
            always = (category_id, field.id) == ("identite", "sexe")  # the name was chosen by it
            if not field.required and not always and self.rng.random() > fill:
                continue
            value = self.coherent_value(category_id, field, ctx)
            if value is _SKIP:
                continue
            if value is None:
                value = self.value_for(field, ctx)
            if value is None:
                continue
            values[field.id] = self.catalogue.validate_value(category_id, field.id, value)
        return values

    # -- generation ------------------------------------------------------------------------
    def run(self) -> None:
        total = self.options.youths + self.options.journal_rows
        dossiers = list(self.generate_dossiers())
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.transaction() as conn:
            demo_repo.bulk_insert(conn, dossiers, now, record_dates, lambda d: self.tick(d, total))
        self.session.store.journal.bulk_load(self.journal_rows(len(dossiers), total))
        self.tick(total, total)

    def generate_dossiers(self) -> Iterator[dict[str, object]]:
        rng = self.rng
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        educ = self.users.get("educ")
        repeating = [c for c in self.catalogue.categories if c.repeating]
        single = [c for c in self.catalogue.categories if not c.repeating]
        contact_types = self.contact_codes()
        for n in range(self.options.youths):
            age_days = rng.randint(3 * 365, 21 * 365)
            born = self.today - dt.timedelta(days=age_days)
            birth = born.isoformat()
            adult = (self.today.year - born.year
                     - ((self.today.month, self.today.day) < (born.month, born.day))) >= MAJORITY
            sex = rng.choice(("1", "2"))
            last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES_BY_SEX[sex])
            ctx = {"birth": birth, "name": f"{first} {last}", "sex": sex, "age": str(age_days // 365)}
            # every status at least once, then in realistic proportions
            status = STATUS_WEIGHTS[n][0] if n < len(STATUS_WEIGHTS) else rng.choice(statuses)
            opened = self.today - dt.timedelta(days=rng.randint(30, 1400))
            consents: list[dict[str, object]] = []
            categories: dict[str, dict[str, object]] = {}
            for category in single:
                if category.requires_setting:
                    continue
                if category.consent:
                    state = rng.choice(("given", "given", "refused", "requested", "withdrawn"))
                    # sexual life from the person; otherwise the young adult or the
                    # legal representative of a minor
                    from_young = adult or category.consent in FROM_THE_PERSON
                    consents.append({
                        "consent_type": category.consent, "state": state,
                        "given_by": ctx["name"] if from_young else "Représentant légal",
                        "given_by_role": "jeune" if from_young else "representant_legal",
                        "form": rng.choice(("ecrit", "oral")),
                        "recorded_on": (opened + dt.timedelta(days=rng.randint(1, 20))).isoformat(),
                    })
                    if state != "given":
                        continue
                fill = 0.5 if category.sensitive else 0.85
                values = self.record(category.id, ctx, fill)
                if values:
                    categories[category.id] = values
            records: list[tuple[str, dict[str, object]]] = []
            for category in repeating:
                count = {"suivi": rng.randint(3, 9), "mesures": rng.randint(1, 3)}.get(
                    category.id, rng.randint(1, 3))
                for _ in range(count):
                    records.append((category.id, self.record(category.id, ctx, 0.9)))
            contacts = [str(v[SUIVI_DATE]) for c, v in records
                        if c == "suivi" and v.get(SUIVI_TYPE) in contact_types and v.get(SUIVI_DATE)]
            closed_on = None
            if status in ("closed", "archive"):
                closed_on = (self.today - dt.timedelta(days=rng.randint(30, 900))).isoformat()
            yield {
                "number": f"D{self.today.year % 100:02d}-{n + 1:05d}",
                "last_name": last, "first_names": first, "birth_date": birth,
                "unit_id": self.units[n % len(self.units)], "referent_id": educ if n % 3 == 0 else None,
                "status": status, "opened_on": opened.isoformat(), "closed_on": closed_on,
                "status_reason": "Fin de prise en charge" if closed_on else None,
                "last_contact_on": max(contacts) if contacts else None,
                "categories": categories, "records": records, "consents": consents,
            }

    def contact_codes(self) -> set[str]:
        field = self.catalogue.category("suivi").field(SUIVI_TYPE)
        assert field.vocabulary
        return {i.code for i in self.catalogue.vocabulary(field.vocabulary).items
                if getattr(i, "counts_as_contact", False)}

    def journal_plan(self) -> list[tuple[int, str, list[str], list[int]]]:
        """Who reads what in the generated history: only what each profile may read."""
        from app.auth.permissions import UNIT_SCOPED, Access, matrix

        plan = []
        sensitive = {c.id for c in self.catalogue.categories if c.sensitive}
        for login, _, profile, _ in DEMO_ACCOUNTS:
            uid = self.users[login]
            categories = [c for c, access in matrix()[profile].items()
                          if Access.READ in access and c in sensitive | {"identite", "suivi", "mesures"}]
            units = demo_repo.units_of(self.conn, uid) if profile in UNIT_SCOPED else None
            dossiers = demo_repo.dossier_ids(self.conn, units)
            plan.append((uid, profile.value, categories, dossiers))
        return plan

    def journal_rows(self, dossier_count: int, total: int) -> Iterator[
        tuple[int, int | None, str, int | None, str, str, str]
    ]:
        rng = self.rng
        n = self.options.journal_rows
        if n == 0:
            return
        start = self.session.clock.now() + dt.timedelta(hours=1)
        now = self.real.now()
        span = (now - start).total_seconds() - 3600
        plan = self.journal_plan()
        step = span / n
        moments = []
        for i in range(n):
            when = start + dt.timedelta(seconds=i * step + rng.random() * step * 0.5)
            if (when.hour >= 21 or when.hour < 5) and rng.random() < 0.93:
                when = when.replace(hour=rng.randint(6, 19))  # few night reads, as in real life
                if when >= now - dt.timedelta(minutes=5):
                    when -= dt.timedelta(days=1)  # never in the future (the journal checks the clock)
            moments.append(to_micros(when))
        # A real journal is written in time order: entries follow each other (seq = time order).
        moments.sort()
        for i, ts in enumerate(moments):
            uid, profile, categories, dossiers = rng.choice(plan)
            roll = rng.random()
            if roll < 0.08 or not categories or not dossiers:
                yield (ts, uid, profile, None, "session",
                       Action.CONNEXION.value if roll < 0.07 or not categories else
                       Action.VERROUILLAGE.value, "")
            else:
                # mostly within the user's units, sometimes outside (the review flags it)
                dossier = rng.choice(dossiers) if rng.random() > 0.03 else rng.randint(1, dossier_count)
                action = Action.CONSULTATION if rng.random() < 0.7 else Action.MODIFICATION
                yield (ts, uid, profile, dossier, rng.choice(categories), action.value, "")
            if i % 50_000 == 0:
                self.tick(self.options.youths + i, total)

