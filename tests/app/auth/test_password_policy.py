"""Password policy of CNIL délibération 2022-100 (R-3.2) and the generators (R-3.4)."""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.auth import password_policy
from app.auth.password_policy import (
    ACCEPTED_MESSAGE,
    COMMON_MESSAGE,
    EMPTY_MESSAGE,
    INVISIBLE_MESSAGE,
    LOGIN_MESSAGE,
    MAX_LENGTH,
    NAME_MESSAGE,
    ORG_MESSAGE,
    POLICY_TEXT,
    PREDICTABLE_MESSAGE,
    REFUSAL_MESSAGES,
    RULE_MESSAGE,
    TOO_LONG_MESSAGE,
    PasswordRefused,
    StrengthReport,
    check_password,
    generate_one_time_password,
    generate_password,
    password_strength,
)
from app.errors import KnownError
from app.resources import resource_path

WHO = {"login": "cmartin", "person_name": "Céline Martin", "org_name": "MECS Les Tilleuls"}


def refusal(password: str, **who: str) -> str:
    """The message of the refusal, checked never to quote the password."""
    with pytest.raises(PasswordRefused) as info:
        check_password(password, **(who or WHO))
    message = info.value.message
    assert isinstance(info.value, KnownError) and str(info.value) == message
    assert message in REFUSAL_MESSAGES
    report = password_strength(password, **(who or WHO))
    assert not report.acceptable
    if password:
        folded = password.casefold()
        # « MOT DE PASSE » is the wording of every advice, not a quotation of the password
        if folded in message.casefold():
            with pytest.raises(PasswordRefused) as same:
                check_password(_same_shape(password), **(who or WHO))
            assert folded in same.value.message.casefold()
        assert password not in message
        # a short password can be a word of the advice itself (« une majuscul »): then the
        # advice given for a password of the same shape holds it as well
        assert password not in report.message or password in password_strength(
            _same_shape(password), **(who or WHO)).message
    return message


def _same_shape(password: str) -> str:
    return "".join("A" if c.isupper() else "a" if c.islower() else "1" if c.isdigit() else
                   c if c.isspace() else "!" for c in password)


def accepted(password: str, rule: str) -> None:
    check_password(password, **WHO)
    report = password_strength(password, **WHO)
    assert report == StrengthReport(True, rule, ACCEPTED_MESSAGE, report.score)
    assert report.score in (3, 4)


# -- the three shapes -----------------------------------------------------------------------------


def test_twelve_characters_with_four_classes() -> None:
    accepted("Bxw7!rtpq2Lm", "12+4")  # exactly 12
    accepted("Kq7#vmpr-Tz2w", "12+4")
    assert refusal("Bxw7!rtpq2L") == RULE_MESSAGE  # 11


@pytest.mark.parametrize(
    "password,one_more",
    [
        ("bxw7!rtpq2lmz", "k"),  # 13, no uppercase
        ("BXW7!RTPQ2LMZ", "K"),  # 13, no lowercase
        ("Bxwk!rtpqjLmz", "h"),  # 13, no digit
        ("Bxw7krtpq2Lmz", "h"),  # 13, no special character
    ],
)
def test_each_missing_class_needs_fourteen_characters(password: str, one_more: str) -> None:
    assert refusal(password) == RULE_MESSAGE
    assert refusal(password[:11]) == RULE_MESSAGE
    accepted(password + one_more, "14+3")


def test_fourteen_characters_need_three_classes() -> None:
    assert refusal("bxwkfrtpqjlmzh") == RULE_MESSAGE  # 14, one class
    assert refusal("bxw7frtpq2lmzh") == RULE_MESSAGE  # 14, two classes
    assert refusal("bxw7frtpq2lmzh" * 2) == RULE_MESSAGE  # longer is not enough either
    accepted("Quatorze-Lettres", "14+3")


def test_passphrase_of_seven_words() -> None:
    accepted("le chat gris dort sur le tapis", "phrase")
    accepted("le_chat_gris-dort-sur_le tapis", "phrase")  # spaces, hyphens and underscores
    accepted("l'enfant joue dans le jardin avec son frère", "phrase")
    assert refusal("le chat gris dort sur le") == RULE_MESSAGE  # 6 words
    assert refusal("le chat à y dort sur le") == RULE_MESSAGE  # « à » and « y » are no words
    assert refusal("le.chat.gris.dort.sur.le.tapis") == RULE_MESSAGE  # dots do not separate


def test_passphrase_repeating_words_is_predictable() -> None:
    assert refusal("le le le le le le le") == PREDICTABLE_MESSAGE
    assert refusal("un deux un deux un deux un") == PREDICTABLE_MESSAGE


def test_scripts_without_case_count_as_lowercase() -> None:
    accepted("كلمة-سر-Ab7-طويلة", "12+4")
    accepted("猫が好き 犬も好き 鳥も好き 魚も好き 花も好き 空も好き 海も好き", "phrase")
    assert refusal("كلمةسرطويلة7!") == RULE_MESSAGE  # 13 characters, 3 classes


def test_length_counts_composed_characters() -> None:
    decomposed = unicodedata.normalize("NFD", "Élève-brûlé7k")  # 13 characters once composed
    assert len(decomposed) > 13
    accepted(decomposed, "12+4")
    assert refusal(unicodedata.normalize("NFD", "Élève-brûl7")) == RULE_MESSAGE


# -- identity -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password,message",
    [
        ("cmartin-Velo-Rouge-27!", LOGIN_MESSAGE),
        ("Velo-CMARTIN-rouge-27", LOGIN_MESSAGE),
        ("CELINE-velo-rouge-27!", NAME_MESSAGE),
        ("céline-Velo-Rouge-27!", NAME_MESSAGE),
        ("Velo-Rouge-CÉLINE-27!", NAME_MESSAGE),
        ("MARTIN#velo-rouge2", NAME_MESSAGE),
        ("M@rt1n-Velo-Rouge!", NAME_MESSAGE),  # leet substitutions
        ("Velo-Rouge-Mar tin-27!", NAME_MESSAGE),  # separators inside are ignored
        ("Tilleuls-Velo-2026!", ORG_MESSAGE),
        ("tiLLeuls velo rouge lune bleue et verte", ORG_MESSAGE),  # passphrases too
        ("Mecs-velo-rouge-27!", ORG_MESSAGE),
    ],
)
def test_identity_is_refused(password: str, message: str) -> None:
    assert refusal(password) == message


def test_short_identity_parts_are_ignored() -> None:
    # « Les » (3 letters) is no significant word of the organisation, « Li » no part of the name
    check_password("Les-Velo-Rouge-27!", login="li", person_name="Li Wu", org_name="MECS Les Tilleuls")
    check_password("Pour-Velo-Rouge-27!", org_name="Association pour la jeunesse")


def test_identity_parts() -> None:
    assert refusal("Velo-Rouge-Martin-27", login="c.martin") == LOGIN_MESSAGE
    assert refusal("Velo-Rouge-Ndiaye-27", person_name="Awa N'Diaye") == NAME_MESSAGE
    assert refusal("Velo-Diaye-Rouge-27", person_name="Awa N'Diaye") == NAME_MESSAGE
    assert refusal("Velo-Rouge-Pierre-27", person_name="Jean-Pierre Roux") == NAME_MESSAGE
    assert refusal("Velo-Enfance-Rouge-27", org_name="Foyer de l'Enfance du Morbihan") == ORG_MESSAGE
    check_password(
        "Velo-Rouge-Lune-27!", login="nroux", person_name="Nadia Roux", org_name="Foyer de l'Enfance du Morbihan"
    )


# -- common passwords -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Azerty123456!",
        "P@ssw0rd2024",
        "P@ssw0rd2024!!",
        "Motdepasse!!2026",
        "MOT-DE-PASSE-2026",
        "Soleil2026!!Ab",
        "Marseille13!!Xy",
        "Jetaime!2024Xy",
        "iloveyou2024!!",
        "Chouchou-Doudou-2026",
        "Sillage2026!!",
        "Educateur#2024",
        "#2024Educatrice",
        "Enfance-Foyer-75!",
        "Qsdfghjklm1!",
        "&é\"'(-è_çà)=Ab1",
        "123456789Abc!",
        "Psg-Asse-Losc-2026",
        "Bonjour*1234",
        "Dec3mbre-2025",
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "Un deux trois quatre cinq six sept",
    ],
)
def test_common_passwords_with_decorations_are_refused(password: str) -> None:
    assert refusal(password) == COMMON_MESSAGE


def test_azerty123_is_refused() -> None:
    assert refusal("Azerty123!") == RULE_MESSAGE  # too short before being common
    assert refusal("Azerty123!!!") == COMMON_MESSAGE


@pytest.mark.parametrize(
    "password",
    [
        "Mnopqrstuv7!",
        "Zyxwvutsrq7!",
        "Ertyuiop-97X",
        "Aa1!Aa1!Aa1!",
        "Xk9!!!!!!!!!",
        "Abc1!Abc1!Abc1!",
        "aaaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_runs_and_repetitions_are_predictable(password: str) -> None:
    assert refusal(password) in {PREDICTABLE_MESSAGE, RULE_MESSAGE}
    if password_policy._rule(password) is not None:
        assert refusal(password) == PREDICTABLE_MESSAGE


@pytest.mark.parametrize(
    "password",
    [
        # a listed word inside enough other material is fine
        "Arbre-Soleil-Pluie-84!",
        "Secret-Tente-99!",
        "Marche-Orange-Vent-93!",
        # the passwords the rest of the test suite relies on
        "Velo-Rouge-Lune-27!",
        "Nuage-Piano-Orage-35?",
        "Cerise-Moulin-Brume-61!",
        "Bateau-Vert-Nuage-58!",
        # seven ordinary words are a passphrase even if some are common passwords
        "soleil et doudou mangent du chocolat chaud",
    ],
)
def test_ordinary_passwords_are_accepted(password: str) -> None:
    check_password(password, **WHO)
    assert password_strength(password, **WHO).acceptable


def test_blocklist_file() -> None:
    lines = resource_path("passwords", "blocklist.txt").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) >= 2000
    assert all(line == line.strip() and " " not in line for line in entries)
    keys = password_policy._blocklist().entries
    for word in [
        "azerty",
        "motdepasse",
        "soleil",
        "doudou",
        "chouchou",
        "marseille",
        "123456",
        "password",
        "qwerty",
        "iloveyou",
        "bonjour",
        "jetaime",
        "sillage",
        "educateur",
        "enfance",
        "foyer",
        "mecs",
        "janvier",
        "dimanche",
        "nicolas",
        "camille",
        "psg",
    ]:
        assert word in keys
    assert password_policy._blocklist() is password_policy._blocklist()  # loaded once


# -- generators -----------------------------------------------------------------------------------

AMBIGUOUS = set("O0oIl1")


def test_generated_passwords_are_accepted_and_differ() -> None:
    seen = set()
    for _ in range(200):
        password = generate_password()
        check_password(password, **WHO)
        assert password_policy._rule(password) == "12+4"
        assert re.fullmatch(r"[^\W_]{4}(-[^\W_]{4}){3}", password) and len(password) >= 16
        assert not AMBIGUOUS & set(password)
        seen.add(password)
    assert len(seen) == 200


def test_one_time_passwords_are_accepted_and_differ() -> None:
    seen = set()
    for _ in range(200):
        password = generate_one_time_password()
        check_password(password, **WHO)
        assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", password)
        assert not AMBIGUOUS & set(password)
        seen.add(password)
    assert len(seen) == 200


def test_generators_draw_again_when_a_candidate_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def draws(*candidates: str) -> None:
        chars = iter("".join(candidates))
        monkeypatch.setattr(secrets, "choice", lambda alphabet: next(chars))

    draws("bcdK7mnpQ8rstV9w", "Kx7mQd9TRp8wZs6v")
    assert generate_password() == "bcdK-7mnp-Q8rs-tV9w"
    draws("bcdK7mnpQ8rstV9w", "Kx7mQd9TRp8wZs6v")
    assert generate_password(login="bcd") == "Kx7m-Qd9T-Rp8w-Zs6v"
    draws("kxmqdtrpwzsvbnhg", "Kx7mQd9TRp8wZs6v")  # no digit: drawn again
    assert generate_password() == "Kx7m-Qd9T-Rp8w-Zs6v"
    draws("BCDK7MNPQ8RSTV9WXZ2F", "KX7MQD9TRP8WZS6VGH5J")
    assert generate_one_time_password(person_name="Bcd Roux") == "KX7M-QD9T-RP8W-ZS6V-GH5J"


# -- live indicator -------------------------------------------------------------------------------


def test_strength_messages() -> None:
    empty = password_strength("")
    assert empty == StrengthReport(False, None, EMPTY_MESSAGE, 0)
    assert password_strength("abc").message.startswith("Encore 9 caractères, une majuscule, un chiffre")
    near = password_strength("Velo-Rouge2", **WHO)  # 11 characters, the four classes (« - » is special)
    assert near.message == "Encore 1 caractère." and near.score == 2
    no_digit = password_strength("Velo-Rouge!", **WHO)
    assert no_digit.message == "Encore 1 caractère et un chiffre, ou encore 3 caractères."
    assert password_strength("le chat gris dort").message.startswith("Encore 3 mots")
    assert (
        password_strength("Lucie2020").message == "Encore 3 caractères et un caractère spécial, ou encore 5 caractères."
    )


def test_strength_scores_and_verdicts() -> None:
    assert password_strength("Bxw7!rtpq2Lm", **WHO) == StrengthReport(True, "12+4", ACCEPTED_MESSAGE, 3)
    assert password_strength("Velo-Rouge-Lune-27!", **WHO).score == 4
    assert password_strength("le chat gris dort sur le tapis rouge", **WHO).score == 4
    common = password_strength("Azerty123456!", **WHO)
    assert common == StrengthReport(False, "12+4", COMMON_MESSAGE, 1)
    mine = password_strength("cmartin", **WHO)  # shown at once, before the length hint
    assert mine == StrengthReport(False, None, LOGIN_MESSAGE, 0)
    scores = [password_strength("Bxw7!rtpq2Lm"[:n]).score for n in range(1, 13)]
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] == 3


# -- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password,message",
    [
        ("", EMPTY_MESSAGE),
        ("Velo-Rouge\x00-Lune-27!", INVISIBLE_MESSAGE),
        ("Velo-Rouge\t-Lune-27!", INVISIBLE_MESSAGE),
        ("Velo-Rouge-Lune-27!\n", INVISIBLE_MESSAGE),
        ("Velo-\u202eRouge-Lune-27!", INVISIBLE_MESSAGE),  # right-to-left override
        ("Velo-\u200bRouge-Lune-27!", INVISIBLE_MESSAGE),  # zero-width space
        ("Velo-\ud800Rouge-Lune-27!", INVISIBLE_MESSAGE),  # lone surrogate: cannot be encoded
        ("Kq7#vmpr-Tz2w" * 20, TOO_LONG_MESSAGE),
    ],
)
def test_unusable_input(password: str, message: str) -> None:
    assert refusal(password) == message
    assert password_strength(password) == StrengthReport(False, None, message, 0)


def test_emoji_and_right_to_left_text() -> None:
    accepted("Chat🐱Chien🐶2024", "12+4")
    accepted("👨‍👩‍👧-Brindille-Rx7", "12+4")  # the joiner inside an emoji is allowed
    accepted("שלום-עולם-Xy7-טוב", "12+4")
    assert refusal("🐱🐶🐭🐹🐰🦊🐻🐼🐨🐯🦁🐮🐷") == RULE_MESSAGE


def test_maximum_length() -> None:
    longest = "-".join(generate_password() for _ in range(13))[:MAX_LENGTH]
    check_password(longest, **WHO)
    assert refusal(longest + "x") == TOO_LONG_MESSAGE


def test_policy_text() -> None:
    assert "\n" not in POLICY_TEXT and "CNIL" in POLICY_TEXT and "2022-100" in POLICY_TEXT
    assert "12 caractères" in POLICY_TEXT and "14 caractères" in POLICY_TEXT and "7 mots" in POLICY_TEXT


@settings(max_examples=300, deadline=None)
@given(password=st.text(max_size=300), login=st.text(max_size=20), name=st.text(max_size=40), org=st.text(max_size=60))
def test_any_input_is_answered_cleanly(password: str, login: str, name: str, org: str) -> None:
    who = {"login": login, "person_name": name, "org_name": org}
    try:
        check_password(password, **who)
        ok = True
    except PasswordRefused as exc:
        assert exc.message in REFUSAL_MESSAGES  # fixed texts: never any part of the input
        ok = False
    report = password_strength(password, **who)
    assert report.acceptable is ok and 0 <= report.score <= 4
    assert report.rule in {None, "12+4", "14+3", "phrase"}
    if len(password) >= 5:  # a word of the fixed texts (« votre ») is not a quotation
        assert password not in report.message or any(password in m for m in fixed_texts()), report.message


@functools.cache
def fixed_texts() -> tuple[str, ...]:
    """Every text the advice can hold whatever the input: the refusals, and the hints given to
    passwords of every length up to 20 and every mix of character classes (« Encore 5
    caractères, une majuscule et un chiffre. »): a password that happens to read like a piece
    of them (« un ch ») is not quoted."""
    texts = set(REFUSAL_MESSAGES)
    classes = ("a", "A", "0", "#", " ")
    for mask in range(1, 1 << len(classes)):
        chars = [c for k, c in enumerate(classes) if mask >> k & 1]
        for length in range(1, 21):
            texts.add(password_strength("".join(chars[i % len(chars)] for i in range(length))).message)
    return tuple(texts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), min_size=12, max_size=40))
def test_printable_input_is_judged_by_the_rules(password: str) -> None:
    report = password_strength(password, **WHO)
    if report.acceptable:
        check_password(password, **WHO)
        assert report.rule is not None
    elif report.rule is None:
        assert refusal(password) in {RULE_MESSAGE, LOGIN_MESSAGE, NAME_MESSAGE, ORG_MESSAGE}
