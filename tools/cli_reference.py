"""Write docs/reference-cli.md from the real help of every ``sillage`` command.

    python tools/cli_reference.py            # rewrite docs/reference-cli.md
    python tools/cli_reference.py --check    # exit 1 when the file is out of date

The help texts are the ones ``sillage … --help`` prints (``format_help`` of the very parsers
``cli.parser.build_parser`` builds), formatted for a fixed width so the file does not depend on the
terminal. ``tests/docs/test_cli_reference.py`` fails when the file is out of date.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "docs" / "reference-cli.md"
#: the width argparse wraps help to (it reads COLUMNS when a formatter is made)
WIDTH = 100

INTRO = """\
# Référence des commandes `sillage`

<!-- Fichier produit par `python tools/cli_reference.py` à partir de l'aide réelle des
     commandes : ne pas le modifier à la main (tests/docs/test_cli_reference.py le vérifie). -->

Toutes les commandes passent par les mêmes services, droits et journal que l'application.
L'interface graphique est le produit ; la ligne de commande sert à l'automatisation, aux tests
et à l'administration.

**Espace de travail.** `--workspace DOSSIER`, sinon la variable `SILLAGE_WORKSPACE`, sinon le
dossier de données de l'utilisateur (`~/.local/share/Sillage` sous Linux,
`%LOCALAPPDATA%\\Sillage` sous Windows).

**Connexion.** Une commande qui lit des données demande `--user IDENTIFIANT --password-stdin` : le
mot de passe est lu sur la **première ligne** de l'entrée standard (jamais en argument, il
resterait dans l'historique). Une commande qui demande un second secret (nouveau mot de
passe, mot de passe du PDF) le lit sur la **deuxième ligne**. Exemple :

```sh
printf '%s\\n' "$MOT_DE_PASSE" | sillage --workspace DOSSIER --user cmartin --password-stdin journal verify
```

**Codes de sortie.** `0` réussite ; `1` opération refusée ou échouée (message en français sur
la sortie d'erreur) ; `2` utilisation incorrecte. Une sortie coupée par le programme qui la
lit (`… | head`) donne `1` et un message : enregistrez-la dans un fichier pour l'avoir en
entier. Une erreur inattendue affiche « Erreur interne (référence …) » et ce qu'il faut faire,
et écrit un rapport d'erreur sans donnée personnelle : voir le
[guide de l'administrateur](guide-administrateur.md).

**Fichiers produits.** Rien n'est écrit dans le dossier de l'espace de travail, et un fichier
existant n'est remplacé qu'avec `--force`. Les CSV sont en UTF-8, séparateur `,` (dans
LibreOffice Calc : jeu de caractères « Unicode (UTF-8) », séparateur « Virgule ») ; une
cellule qui commencerait par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot est
précédée de `'` pour qu'un tableur ne l'exécute pas.

**Travaux longs.** Sauvegarde, restauration, génération de la démonstration : une ligne
d'avancement s'affiche sur la sortie d'erreur ; Ctrl+C interrompt sans rien laisser à moitié
écrit.
"""


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each direct sub-command, in declaration order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...], summary: str,
          ) -> Iterator[tuple[tuple[str, ...], str, str]]:
    yield path, summary, parser.format_help()
    for name, helptext, sub in _subcommands(parser):
        yield from _walk(sub, (*path, name), helptext)


def render() -> str:
    """The whole reference, from the parsers of cli.parser."""
    os.environ["COLUMNS"] = str(WIDTH)
    from cli.parser import build_parser

    entries = list(_walk(build_parser(), ("sillage",), ""))
    lines = [INTRO, "## Sommaire", ""]
    for path, summary, _ in entries[1:]:
        anchor = "-".join(path).replace(" ", "-")
        text = f"- [`{' '.join(path)}`](#{anchor})"
        lines.append(text + (f" — {summary}" if summary else ""))
    lines.append("")
    for path, summary, text in entries:
        anchor = "-".join(path)
        lines.append(f'<a id="{anchor}"></a>')
        lines.append(f"## `{' '.join(path)}`")
        lines.append("")
        if summary:
            lines.append(summary[0].upper() + summary[1:] + ".")
            lines.append("")
        lines.append("```text")
        lines.append(text.rstrip("\n"))
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} n'est plus à jour : lancez "
                  "« python tools/cli_reference.py ».", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)} écrit.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
