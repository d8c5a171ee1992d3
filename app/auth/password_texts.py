"""The texts of the password policy (R-3.2): the rule people read, each refusal's reason, and
the word lists it folds and blanks out (leet substitutions, keyboard runs, function words)."""

from __future__ import annotations

MAX_LENGTH = 256

POLICY_TEXT = (
    "Comme le recommande la CNIL (délibération n° 2022-100), votre mot de passe doit compter au "
    "moins 12 caractères mêlant majuscules, minuscules, chiffres et caractères spéciaux, ou au "
    "moins 14 caractères avec trois de ces quatre types, ou être une phrase d'au moins 7 mots. "
    "Il ne doit contenir ni votre identifiant, ni votre nom, ni le nom de l'organisme, et ne doit "
    "pas être un mot de passe courant, même avec des chiffres ou des symboles ajoutés. Vous "
    "n'aurez pas à le changer régulièrement : changez-le seulement si vous pensez qu'une autre "
    "personne a pu le connaître."
)

RULE_MESSAGE = (
    "Le mot de passe doit contenir au moins 12 caractères avec majuscules, minuscules, chiffres "
    "et caractères spéciaux, ou au moins 14 caractères avec trois de ces types, ou être une "
    "phrase d'au moins 7 mots."
)
EMPTY_MESSAGE = "Saisissez un mot de passe. " + RULE_MESSAGE
TOO_LONG_MESSAGE = f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères : raccourcissez-le."
INVISIBLE_MESSAGE = (
    "Le mot de passe contient un caractère invisible ou de contrôle (tabulation, retour à la "
    "ligne…) : utilisez seulement des lettres, des chiffres, des espaces et des signes visibles."
)
LOGIN_MESSAGE = (
    "Le mot de passe ne doit pas contenir votre identifiant. Choisissez des mots ou des "
    "caractères sans rapport avec vous."
)
NAME_MESSAGE = (
    "Le mot de passe ne doit pas contenir votre nom ni votre prénom. Choisissez des mots ou des "
    "caractères sans rapport avec vous."
)
ORG_MESSAGE = (
    "Le mot de passe ne doit pas contenir le nom de l'organisme. Choisissez des mots ou des "
    "caractères sans rapport avec votre travail."
)
COMMON_MESSAGE = "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre."
PREDICTABLE_MESSAGE = (
    "Ce mot de passe est trop prévisible (suite de touches, de lettres ou de chiffres, "
    "répétitions) : choisissez-en un autre, par exemple une phrase d'au moins 7 mots."
)
ACCEPTED_MESSAGE = "Mot de passe conforme à la règle de la CNIL."

#: every message check_password can raise; none of them is built from the input
REFUSAL_MESSAGES = frozenset(
    {
        RULE_MESSAGE,
        EMPTY_MESSAGE,
        TOO_LONG_MESSAGE,
        INVISIBLE_MESSAGE,
        LOGIN_MESSAGE,
        NAME_MESSAGE,
        ORG_MESSAGE,
        COMMON_MESSAGE,
        PREDICTABLE_MESSAGE,
    }
)

_LEET = {
    "@": "a",
    "4": "a",
    "0": "o",
    "!": "i",
    "|": "l",
    "3": "e",
    "€": "e",
    "$": "s",
    "5": "s",
    "7": "t",
    "+": "t",
    "8": "b",
    "9": "g",
}
_LEET_I = str.maketrans({**_LEET, "1": "i"})
_LEET_L = str.maketrans({**_LEET, "1": "l"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})

# Rows of AZERTY, QWERTY and QWERTZ keyboards (folded), the alphabet and the digits.
_RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "&e\"'(-e_ca)=",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "!@#$%^&*()_+",
    "qwertzuiop",
    "yxcvbnm",
)

_FUNCTION_WORDS = frozenset(
    {
        "pour",
        "avec",
        "dans",
        "sans",
        "sous",
        "chez",
        "vers",
        "entre",
        "leur",
        "leurs",
        "notre",
        "votre",
        "nous",
        "vous",
        "cette",
        "tous",
        "toute",
        "toutes",
        "tout",
        "aupres",
        "the",
        "and",
    }
)
