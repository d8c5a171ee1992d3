"""What the access journal records (R-5.1). Entries never contain field values."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CONSULTATION = "consultation"
    CREATION = "creation"
    MODIFICATION = "modification"
    SUPPRESSION = "suppression"
    CONNEXION = "connexion"
    ECHEC_CONNEXION = "echec_connexion"
    DECONNEXION = "deconnexion"
    VERROUILLAGE = "verrouillage"
    DEVERROUILLAGE = "deverrouillage"
    COMPTE = "compte"
    PERMISSION = "permission"
    EXPORT = "export"
    IMPRESSION = "impression"
    ENVOI = "envoi"
    PURGE = "purge"
    ARCHIVE = "consultation_archive"
    PARAMETRES = "parametres"
    REFUS = "refus"
    JOURNAL = "journal"
    SAUVEGARDE = "sauvegarde"
    ESPACE = "espace"
    CONSERVATION = "conservation"
    DROITS = "droits"
    ALERTE = "alerte"


ACTION_LABELS: dict[Action, str] = {
    Action.CONSULTATION: "Consultation",
    Action.CREATION: "Création",
    Action.MODIFICATION: "Modification",
    Action.SUPPRESSION: "Suppression",
    Action.CONNEXION: "Connexion",
    Action.ECHEC_CONNEXION: "Échec de connexion",
    Action.DECONNEXION: "Déconnexion",
    Action.VERROUILLAGE: "Verrouillage",
    Action.DEVERROUILLAGE: "Déverrouillage",
    Action.COMPTE: "Gestion des comptes",
    Action.PERMISSION: "Changement de profil",
    Action.EXPORT: "Export",
    Action.IMPRESSION: "Impression",
    Action.ENVOI: "Envoi de rapport",
    Action.PURGE: "Purge",
    Action.ARCHIVE: "Consultation d'archive",
    Action.PARAMETRES: "Paramètres",
    Action.REFUS: "Accès refusé",
    Action.JOURNAL: "Journal",
    Action.SAUVEGARDE: "Sauvegarde",
    Action.ESPACE: "Espace de travail",
    Action.CONSERVATION: "Décision de conservation",
    Action.DROITS: "Registre des droits",
    Action.ALERTE: "Alerte d'intégrité",
}
