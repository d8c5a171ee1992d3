"""A value for each field of the catalogue, valid and coherent with the person: sex and first
name, measures and age, pregnancy and siblings (demos and trainings depend on it)."""

from __future__ import annotations

import datetime as dt
import random

from app.catalogue import Catalogue, Field, FieldType, nir_key
from app.demo import fictive
from app.dossiers.model import IDENTITY_COLUMNS, MESURE_DEADLINE, MESURE_END, MESURE_START, MESURE_TYPE

#: a field the coherence rules leave empty on purpose
_SKIP = object()
#: the person a value is drawn for: birth date, name, sex, age, and what was drawn before
Person = dict[str, str]


def iban_fr(rng: random.Random) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(23))
    numeric = int(bban + "152700")  # F=15 R=27, then "00"
    return f"FR{98 - numeric % 97:02d}{bban}"


class ValueDrawer:
    def __init__(self, rng: random.Random, catalogue: Catalogue, today: dt.date, units: list[int]) -> None:
        self.rng = rng
        self.catalogue = catalogue
        self.today = today
        self.units = units

    def record(self, category_id: str, ctx: Person, fill: float) -> dict[str, object]:
        """The values of one category (or one entry) for the person: the required fields, and
        each other field with the probability ``fill``."""
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

    def value_for(self, field: Field, ctx: Person) -> object | None:
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
            return rng.choice(fictive.NOTES)[: field.max_length or 500]
        return self.text_for(field, ctx)[: field.max_length or 100]

    def coherent_value(self, category_id: str, field: Field, ctx: Person) -> object:
        """The value a coherence rule gives the field, ``_SKIP`` to leave it empty, None when
        no rule applies."""
        if (category_id, field.id) == ("identite", "sexe"):
            return ctx["sex"]
        if category_id == "mesures":
            return self._measure(field.id, ctx)
        if category_id == "sante":
            return self._pregnancy(field.id, ctx)
        if category_id == "vie_personnelle" and field.id in ("freres_soeurs", "fratrie_placee_nombre",
                                                              "fratrie_placee"):
            return self._siblings(field.id, ctx)
        return None

    def _measure(self, fid: str, ctx: Person) -> object:
        """A measure that fits the age, starting after the birth (after the 18th birthday for a
        young adult's contract) and ending after it starts."""
        rng = self.rng
        birth = dt.date.fromisoformat(ctx["birth"])
        if fid == MESURE_TYPE:
            ctx["measure"] = rng.choice(fictive.ADULT_MEASURES if int(ctx["age"]) >= 18 else fictive.MINOR_MEASURES)
            return ctx["measure"]
        if fid == MESURE_START:
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
        return None

    def _pregnancy(self, fid: str, ctx: Person) -> object:
        plausible = ctx["sex"] == "2" and int(ctx["age"]) >= 14 and self.rng.random() < 0.15
        if fid == "suivi_grossesse":
            return "oui" if plausible else "non"
        if fid == "terme_prevu":
            return (self.today + dt.timedelta(days=self.rng.randint(20, 200))).isoformat() if plausible else _SKIP
        return None

    def _siblings(self, fid: str, ctx: Person) -> object:
        siblings = ctx.setdefault("siblings", str(self.rng.choice((0, 1, 1, 2, 2, 3, 4, 5))))
        placed = ctx.setdefault("placed", str(self.rng.randint(0, int(siblings))))
        if fid == "freres_soeurs":
            return int(siblings)
        if fid == "fratrie_placee_nombre":
            return int(placed) if int(placed) else _SKIP
        return "oui" if int(placed) else "non"

    def text_for(self, field: Field, ctx: Person) -> str:
        fid = field.id
        rng = self.rng
        if "prenom" in fid:
            return rng.choice(fictive.FIRST_NAMES_BY_SEX[ctx["sex"]] if "sex" in ctx else fictive.FIRST_NAMES)
        if "nom" in fid:
            return rng.choice(fictive.LAST_NAMES)
        if any(k in fid for k in ("lieu", "ville", "commune")):
            return rng.choice(fictive.CITIES)
        if "adresse" in fid:
            return f"{rng.randint(1, 90)} rue des Tilleuls, {rng.choice(fictive.CITIES)}"
        if any(k in fid for k in ("ecole", "etablissement")):
            return rng.choice(fictive.SCHOOLS)
        if any(k in fid for k in ("tribunal", "juridiction", "court")):
            return rng.choice(fictive.COURTS)
        if "allocataire" in fid:
            return f"{rng.randint(1000000, 9999999)}"
        if "titulaire" in fid:
            return ctx["name"]
        return "Information fictive"
