"""Issue 8 item 7 — errors a person can act on (R-9.4), through the CLI as real child processes:
output cut by a reader that stops early, a journal partition damaged on disk, impossible
places for `init` and `demo`; an unexpected error writes its bug report; help and usage are
entirely French; commands not there yet all answer alike."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from app.bug_report import log_dir
from cli import main as cli_main
from cli import parser as cli_parser
from tests.cli.test_cli import PASSWORD, ROOT, accept_charter, run

#: what Python or the system would print in English, or a bug would show
NEVER = ("Traceback", "Erreur interne", "Exception ignored", "BrokenPipeError", "No such file",
         "File exists", "Permission denied", "Operation not permitted", "Not a directory",
         "File name too long")


def child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A demo workspace with enough journal entries to fill a pipe, and the director's password."""
    ws = tmp_path_factory.mktemp("item7") / "demo"
    made = run("demo", "--workspace", str(ws), "--youths", "4", "--journal-rows", "1500")
    assert made.returncode == 0, made.stderr
    password = next(line.split("\t")[1] for line in made.stdout.splitlines() if line.startswith("direction\t"))
    accept_charter(ws, "direction", password)  # every account's first step
    return ws, password


def as_director(ws: Path, *command: str) -> list[str]:
    return [sys.executable, "-m", "cli", "--workspace", str(ws), "--user", "direction",
            "--password-stdin", *command]


# -- output cut by the reader (BrokenPipe) ------------------------------------------------------
@pytest.mark.parametrize("command", [("user", "list", "--format", "csv"), ("dossier", "list"),
                                     ("dossier", "list", "--format", "csv"),
                                     ("journal", "export", "--format", "csv")])
def test_item7_output_into_a_reader_that_has_stopped_is_said_in_french(demo: tuple[Path, str],
                                                                      command: tuple[str, ...]) -> None:
    """The reader of the pipe is gone before the first line is written (`| head` that has
    exited): a French message saying what to do, exit 1, never an internal error."""
    ws, password = demo
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write fails with EPIPE, deterministically
    try:
        child = subprocess.run(as_director(ws, *command), input=password + "\n", stdout=write_end,
                               stderr=subprocess.PIPE, text=True, env=child_env(), cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert child.returncode == 1, child.stderr
    assert "La sortie a été coupée" in child.stderr and "> fichier.csv" in child.stderr
    for bad in NEVER:
        assert bad not in child.stderr, child.stderr


def test_item7_journal_export_piped_into_head_stops_cleanly(demo: tuple[Path, str]) -> None:
    """The real thing: `sillage … journal export --format csv | head -1` (far more than a pipe
    buffer): head prints the header, Sillage says the output was cut."""
    ws, password = demo
    command = " ".join(f"'{part}'" for part in as_director(ws, "journal", "export", "--format", "csv"))
    shell = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"], input=password + "\n",
                           capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=120)
    assert shell.stdout.splitlines() == ["\ufeffseq,date,user_id,profile,dossier_id,target,action,detail"] or \
        shell.stdout.splitlines()[0].endswith("seq,date,user_id,profile,dossier_id,target,action,detail")
    assert shell.returncode == 1, shell.stderr
    assert "La sortie a été coupée" in shell.stderr
    for bad in NEVER:
        assert bad not in shell.stderr, shell.stderr


# -- a damaged journal partition ------------------------------------------------------------------
def damaged_copy(source: Path, target: Path, offset: int) -> str:
    """A copy of the workspace whose oldest journal partition has bytes overwritten on disk."""
    import shutil

    shutil.copytree(source, target)
    partitions = sorted((target / "journal").glob("*.db"))
    assert len(partitions) >= 2
    victim = partitions[0]
    with open(victim, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xa5" * 48)
    return victim.name


@pytest.mark.parametrize("offset", [100, 5000], ids=["header", "page"])
def test_item7_a_damaged_journal_partition_is_a_tamper_report(demo: tuple[Path, str], tmp_path: Path,
                                                             offset: int) -> None:
    ws, password = demo
    copy = tmp_path / "ws"
    name = damaged_copy(ws, copy, offset)
    verify = subprocess.run(as_director(copy, "journal", "verify"), input=password + "\n",
                            capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=120)
    assert verify.returncode == 1, verify.stderr
    assert "Journal altéré" in verify.stderr and f"journal/{name}" in verify.stderr, verify.stderr
    assert "restaurez la dernière sauvegarde" in verify.stderr
    for bad in NEVER:
        assert bad not in verify.stderr, verify.stderr
    # the export says the same instead of writing a journal with a hole in it
    export = subprocess.run(as_director(copy, "journal", "export", "--format", "csv"), input=password + "\n",
                            capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=120)
    assert export.returncode == 1 and f"journal/{name}" in export.stderr, export.stderr
    assert "Erreur interne" not in export.stderr


# -- impossible places for init and demo ---------------------------------------------------------
def impossible_places(base: Path) -> Iterator[tuple[str, Path]]:
    a_file = base / "un-fichier"
    a_file.write_text("pas un dossier")
    yield "a file where the folder should be", a_file
    yield "a folder under a file", a_file / "espace"
    yield "a name too long for any file system", base / ("n" * 300)
    yield "a name too long once Sillage adds its temporary suffix", base / ("é" * 120)
    if os.geteuid() != 0:
        locked = base / "lecture-seule"
        locked.mkdir()
        locked.chmod(0o555)
        yield "a read-only folder", locked / "espace"
    if Path("/proc/self").exists():
        yield "a system place nobody writes in", Path("/proc/espace-sillage")


@pytest.mark.parametrize("command", ["init", "demo"])
def test_item7_init_and_demo_on_an_impossible_place_say_what_to_do(tmp_path: Path, command: str) -> None:
    base = tmp_path / command
    base.mkdir()
    for what, place in impossible_places(base):
        mine = place.parent.is_dir() and tmp_path in place.parents
        before = sorted(p.name for p in place.parent.iterdir()) if mine else None
        if command == "init":
            result = run("init", "--workspace", str(place), "--org-name", "Foyer", "--admin", "dir",
                         "--password-stdin", "--recovery-key-file", str(tmp_path / f"cle-{command}.txt"),
                         stdin=PASSWORD + "\n")
        else:
            result = run("demo", "--workspace", str(place), "--youths", "2", "--journal-rows", "5")
        assert result.returncode == 1, (what, result.stderr)
        assert "hoisissez" in result.stderr and "Rien n'a été créé" in result.stderr, (what, result.stderr)
        for bad in NEVER:
            assert bad not in result.stderr, (what, result.stderr)
        if before is not None:
            assert sorted(p.name for p in place.parent.iterdir()) == before, what
        assert not (tmp_path / f"cle-{command}.txt").exists(), what


# -- an unexpected error: a reference, what to do, a report without anything personal ------------
def test_item7_an_internal_error_writes_the_report_and_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    name, secret = "Léa Dupont-Moreau", "Velo-Rouge-Lune-27!"

    def broken(args: argparse.Namespace, stdin: object) -> int:
        person = {"name": name, "password": secret}  # locals a report must not show
        raise RuntimeError(f"{person['name']} / {person['password']}")

    monkeypatch.setitem(cli_main.HANDLERS, "recovery", broken)  # a bug, planted
    err = io.StringIO()
    with redirect_stderr(err):
        code = cli_main.run(["recovery", "hex"], stdin=io.StringIO(""))
    assert code == 1
    text = err.getvalue()
    assert "Erreur interne (référence " in text and "Que faire" in text
    reference = text.split("référence ", 1)[1][:8]
    report = log_dir() / f"sillage-erreur-{reference}.txt"
    assert report.is_file() and str(report) in text
    content = report.read_text(encoding="utf-8")
    assert "type : RuntimeError" in content and "broken" in content
    for secret_text in (name, secret, "Dupont"):
        assert secret_text not in content and secret_text not in text


# -- help and usage entirely in French -----------------------------------------------------------
ENGLISH = ("usage:", "positional arguments", "optional arguments", "show this help", "show program's",
           "and exit", "the following arguments", "are required", "invalid choice", "choose from",
           "unrecognized arguments", "expected one argument", "error:", "subcommands", "ambiguous option",
           "not allowed with", "invalid int value", "REST", "DATE_FROM", "ORG_NAME", "PROFILE", "NAME",
           "YOUTHS", "JOURNAL_ROWS", "SEED", " DIR", "FILE", "LOGIN")


def all_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:  # argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from all_parsers(sub, (*path, name))


def test_item7_every_help_of_every_command_is_french() -> None:
    paths = list(all_parsers(cli_parser.build_parser()))
    assert len(paths) > 25
    for path, parser in paths:
        out = io.StringIO()
        with redirect_stdout(out), pytest.raises(SystemExit) as done:
            cli_main.run([*path, "--help"])
        assert done.value.code == 0
        text = out.getvalue()
        assert text.startswith("utilisation : sillage"), (path, text)
        for english in ENGLISH:
            assert english not in text, (path, english, text)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):  # its commands have help
                continue
            assert action.help, (path, action.option_strings or action.dest)  # every option explained
            if action.option_strings and action.nargs != 0 and not action.choices:
                assert action.metavar, (path, action.option_strings)  # no English name made from dest


def test_item7_usage_errors_are_french_whatever_the_system_language() -> None:
    for argv, expected in ((["--bogus"], "arguments non reconnus : --bogus"),
                           (["user", "list"], "arguments obligatoires manquants : --format"),
                           (["dossier", "list", "--format", "xml"], "choix invalide : 'xml'"),
                           (["demo", "--youths", "x"], "(nombre entier attendu)"),
                           (["demo", "--youths"], "une valeur est attendue"),
                           (["journal"], "arguments obligatoires manquants : COMMANDE")):
        result = run(*argv, env={"LANG": "en_US.UTF-8", "LANGUAGE": "en"})
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stderr.startswith("utilisation : sillage"), (argv, result.stderr)
        assert expected in result.stderr and "Utilisation incorrecte" in result.stderr, (argv, result.stderr)
        for english in ENGLISH[:17]:
            assert english not in result.stderr, (argv, english, result.stderr)
    top = run("--help", env={"LANG": "en_US.UTF-8"})
    assert top.returncode == 0 and top.stdout.startswith("utilisation : sillage")


# -- commands not there yet -----------------------------------------------------------------------
def test_item7_commands_not_there_yet_all_answer_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 1 and the same French message, whatever follows the command name."""
    monkeypatch.setattr(cli_parser, "LATER", (*cli_parser.LATER, "commande-a-venir"))
    for name in cli_parser.LATER:
        answers = set()
        for rest in ([], ["sujet", "--dossier", "1", "--out", "x"], ["--inconnu"]):
            err = io.StringIO()
            with redirect_stderr(err):
                code = cli_main.run([name, *rest])
            assert code == 1, (name, rest, err.getvalue())
            answers.add(err.getvalue())
        assert answers == {cli_parser.not_yet_message(name) + "\n"}, answers
    for name in cli_parser.LATER[:-1]:  # the real ones, as a child process too
        result = run(name, "quelque", "chose")
        assert result.returncode == 1 and result.stderr == cli_parser.not_yet_message(name) + "\n"
