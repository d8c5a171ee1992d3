"""The invented world of the demo (R-2.7): its organisation, units, accounts, names, places and
notes, and the proportions of dossier statuses. No real person is named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.auth.profiles import Profile
from app.errors import KnownError

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


class DemoCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__("Création de la démonstration annulée : rien n'a été conservé.")
