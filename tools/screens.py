"""Render the screens of the demo workspace to PNG files, to look at them (1366×768).

    QT_QPA_PLATFORM=offscreen python tools/screens.py OUTDIR

``docs/img`` holds the renders the user guide shows (``tools/screens.py docs/img``); the files
are reduced to 256 colours when Pillow is installed, to keep the repository small.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.demo import DemoOptions, create_demo  # noqa: E402
from app.workspace import Workspace  # noqa: E402
from ui.style import STYLESHEET  # noqa: E402

# SILLAGE_SCREEN=1920x1080 renders the tour at another size (issue 15 asks for both)
WIDTH, HEIGHT = (int(n) for n in os.environ.get("SILLAGE_SCREEN", "1366x768").split("x"))


def save(widget: object, path: Path) -> None:
    """Grab ``widget`` into ``path``; 256 colours keep a screen under ~100 KB. A window larger
    than the target size is noted in ``TOO_BIG``."""
    check_fits(widget, path.name)
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def wait_until(app: QApplication, done: object, seconds: float = 60.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def first_run_screens(app: QApplication, out: Path, base: Path) -> None:
    """The welcome window and the first-run wizard, on a folder with no workspace."""
    from ui.windows.first_run import FirstRunWizard
    from ui.windows.welcome import WelcomeWindow

    # the folder is only shown: the one a person meets on Linux
    welcome = WelcomeWindow(Path("/home/claire/.local/share/Sillage"), base / "demo-accueil")
    welcome.show()
    app.processEvents()
    save(welcome, out / "00a-welcome.png")
    welcome.close()
    wizard = FirstRunWizard(Workspace(base / "organisme"))
    wizard.show()
    wizard.org_name.setText("MECS Les Tilleuls")
    wizard.dpo.setText("dpo@tilleuls.example")
    wizard.advance()
    wizard.director_name.setText("Claire Martin")
    wizard.director_login.setText("cmartin")
    for edit in (wizard.password, wizard.repeat):
        edit.setText("Le merle chante sous la pluie d'avril")
    app.processEvents()
    save(wizard, out / "00b-first-run-director.png")
    wizard.advance()
    wizard.units.setPlainText("Les Lilas\nLes Érables\nService AEMO")
    wizard.advance()
    wait_until(app, lambda: wizard.pages.currentIndex() == 3)
    save(wizard, out / "00c-first-run-key.png")
    wizard.close()


def retention_screens(app: QApplication, main: object, out: Path) -> None:
    """« À traiter » and its decision dialogs, as a director sees them (issue 12)."""
    main.show_page("a_traiter")  # type: ignore[attr-defined]
    page = main.pages.currentWidget()  # type: ignore[attr-defined]
    app.processEvents()
    save(main, out / "16-a-traiter.png")
    overdue = [n for n in range(page.model.rowCount()) if page.model.row_at(n).state.overdue]
    if not overdue:
        return
    page.table.selectRow(overdue[0])
    for opener, name in ((page.ask_postpone, "16b-postpone-dialog.png"),
                         (page.ask_archive, "16c-archive-dialog.png"),
                         (page.ask_death, "16e-death-dialog.png")):
        opener()
        app.processEvents()
        save(page.dialog, out / name)
        page.dialog.reject()
    selection = page.table.selectionModel()
    for n in overdue[:3]:
        selection.select(page.model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    page.ask_purge()
    app.processEvents()
    save(page.dialog, out / "16d-purge-dialog.png")
    page.dialog.reject()
    page.open_durations()
    app.processEvents()
    save(page.dialog, out / "16f-durations-dialog.png")
    page.dialog.reject()


def archive_screens(app: QApplication, main: object, out: Path) -> None:
    """« Archives » for the archiviste: the list, the reason asked, the consultation (issue 12)."""
    main.show_page("archives")  # type: ignore[attr-defined]
    page = main.pages.currentWidget()  # type: ignore[attr-defined]
    app.processEvents()
    save(main, out / "17-archives.png")
    if not page.model.rowCount():
        return
    page.table.selectRow(0)
    page.ask_consult()
    app.processEvents()
    save(page.dialog, out / "17b-archive-reason-dialog.png")
    page.dialog.reason.setPlainText("Réquisition du parquet reçue le 01/12/2026")
    page.dialog.submit()
    app.processEvents()
    window = page.consultation
    window.resize(min(WIDTH - 80, 1200), min(HEIGHT - 60, 700))
    app.processEvents()
    save(window, out / "17c-archive-consultation.png")
    window.accept()


def rights_screens(app: QApplication, main: object, out: Path, base: Path) -> None:
    """« Droits »: requests received at different dates (one overdue, one due soon, one refused),
    the page with its badge, the dialog of a new request, the extension, and the subject export."""
    import datetime as dt

    from app.dossiers.service import DossierService

    main.show_page("droits")  # type: ignore[attr-defined]
    page = main.pages.currentWidget()  # type: ignore[attr-defined]
    rights = page.service
    numbers = [r.number for r in DossierService(page.session).list_dossiers()[:4]]
    today = rights.today()
    for kind, who, role, days, number in (
            ("access", "Sophie Garnier", "representant_legal", 40, numbers[0]),
            ("rectification", "Lucas Garnier", "jeune", 26, numbers[1]),
            ("restriction", "Maître Dubois", "mandataire", 3, numbers[2]),
            ("erasure", "Inès Moreau", "jeune", 20, numbers[3])):
        rid = rights.register(kind=kind, requester=who, requester_role=role,
                              received_on=today - dt.timedelta(days=days), dossier_number=number)
        if kind == "erasure":
            rights.answer(rid, "Refus motivé : conservation obligatoire pendant la mesure en cours", refused=True)
    page.refresh()
    page.table.selectRow(0)
    app.processEvents()
    save(main, out / "18-rights.png")
    page.new_request()
    app.processEvents()
    save(page.dialog, out / "18b-rights-new-request.png")
    page.dialog.reject()
    page.table.selectRow(1)
    page.extend()
    app.processEvents()
    save(page.dialog, out / "18c-rights-extend.png")
    page.dialog.reject()
    folder = base / "export-personne"
    folder.mkdir()
    page.choose_folder = lambda: folder
    page.table.selectRow(0)
    page.export()
    app.processEvents()
    save(main, out / "18d-rights-exported.png")


#: screens whose window came out larger than the target size (the layout asked for more room)
TOO_BIG: list[str] = []


def check_fits(widget: object, name: str) -> None:
    """A window at the target size must fit it: a layout that needs more is reported."""
    size = widget.size()  # type: ignore[attr-defined]
    if size.width() > WIDTH or size.height() > HEIGHT:
        TOO_BIG.append(f"{name}: {size.width()}×{size.height()}")


def dialog_screens(app: QApplication, main: object, pane: object, out: Path) -> None:
    """The dialogs the rest of the tour does not open: the charter, an account's form, the
    confirmations (limitation, restore, the clock's date), the rekey panel, the error report
    and a file dialog in French (issue 15)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from app.bug_report import write_bug_report
    from ui.dialogs.ask import confirm
    from ui.dialogs.auth.charter import Charter
    from ui.errors import InternalErrorDialog

    charter = Charter(main)  # type: ignore[arg-type]
    charter.resize(min(WIDTH - 100, 900), min(HEIGHT - 100, 640))
    charter.show()
    app.processEvents()
    save(charter, out / "19a-charter.png")
    charter.reject()

    main.show_page("comptes")  # type: ignore[attr-defined]
    accounts = main.pages.currentWidget()  # type: ignore[attr-defined]
    accounts.new_account()
    app.processEvents()
    save(accounts.dialog, out / "19b-account-form.png")
    accounts.dialog.reject()

    main.show_page("jeunes")  # type: ignore[attr-defined]
    shown: list[QMessageBox] = []

    def render_question(title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=pane)  # type: ignore[arg-type]
        box.addButton("Confirmer", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.show()
        app.processEvents()
        shown.append(box)
        return False

    saved_confirm = pane.confirm  # type: ignore[attr-defined]
    pane.confirm = render_question  # type: ignore[attr-defined]
    pane.toggle_restriction()  # type: ignore[attr-defined]
    pane.confirm = saved_confirm  # type: ignore[attr-defined]
    if shown:
        save(shown[-1], out / "19c-restrict-confirm.png")
        shown[-1].close()

    box = confirm(main, "Date de l'ordinateur",  # type: ignore[arg-type]
                  "L'horloge de l'ordinateur indique le 01/12/2026 ; la dernière activité date du "
                  "12/09/2026. Confirmez-vous la date du jour ? Les entrées du journal de plus de six "
                  "mois seront alors supprimées.", lambda _yes: None, yes_text="Confirmer la date")
    app.processEvents()
    save(box, out / "19d-clock-confirmation.png")
    box.reject()

    restore = QMessageBox(QMessageBox.Icon.Question, "Restaurer une sauvegarde",
                          "Remplacer l'espace de travail par la sauvegarde du 30/11/2026 à 18:00 (UTC) ?\n\n"
                          "L'espace actuel est conservé à côté, sous un autre nom ; rien n'est effacé. Ce "
                          "qui a été saisi depuis cette sauvegarde n'apparaîtra plus. Vous devrez vous "
                          "reconnecter.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          main)  # type: ignore[arg-type]
    restore.show()
    app.processEvents()
    save(restore, out / "19e-restore-confirm.png")
    restore.close()

    try:
        raise RuntimeError("démonstration du rapport d'erreur")
    except RuntimeError as exc:
        report = write_bug_report(exc)
    error = InternalErrorDialog(report, main)  # type: ignore[arg-type]
    error.show()
    app.processEvents()
    save(error, out / "19g-internal-error.png")
    error.close()

    files = QFileDialog(main, "Enregistrer la sauvegarde")  # type: ignore[arg-type]
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    files.resize(min(WIDTH - 100, 900), min(HEIGHT - 120, 560))
    files.show()
    app.processEvents()
    save(files, out / "19h-file-dialog.png")
    files.close()
    main.show_page("jeunes")  # type: ignore[attr-defined]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(STYLESHEET)
    from ui.i18n import install_french

    translators = install_french(app)  # as the application does: Qt's own texts in French
    base = Path(tempfile.mkdtemp())
    first_run_screens(app, out, base)
    ws = Workspace(base / "demo")
    result = create_demo(ws, DemoOptions(youths=80, journal_rows=3000, seed=4))
    accounts = {a.profile: a for a in result.accounts}
    ws = Workspace(base / "demo")
    ws.acquire()

    from ui.session_controller import SessionController

    controller = SessionController(ws)
    controller.start()
    controller.login.login_edit.setText("educ")
    app.processEvents()
    save(controller.login, out / "01-login.png")

    def as_user(profile: str) -> None:
        account = accounts[profile]
        session = ws.login(account.login, account.password)
        from app.auth.service import AccountService

        AccountService(session).accept_charter()
        controller.on_logged_in(session)
        app.processEvents()

    as_user("direction")
    main = controller.main
    assert main is not None
    main.resize(WIDTH, HEIGHT)
    page = main.pages.widget(0)
    app.processEvents()
    save(main, out / "02a-login-retention-count.png")  # the count shown at login
    main.retention_notice.setVisible(False)
    app.processEvents()
    save(main, out / "02-list.png")
    table = page.table  # type: ignore[attr-defined]
    table.selectRow(0)
    app.processEvents()
    pane = page.pane  # type: ignore[attr-defined]
    save(main, out / "03-dossier-identity.png")
    sensitive = next(c.id for c in pane.catalogue.categories if c.sensitive and not c.repeating
                     and not c.consent and c.id in pane.panels)
    pane.show_tab(sensitive)
    app.processEvents()
    save(main, out / "04-dossier-masked.png")
    pane.panels[sensitive].reveal()
    app.processEvents()
    save(main, out / "05-dossier-revealed.png")
    if "mesures" in pane.panels:
        pane.show_tab("mesures")
        app.processEvents()
        save(main, out / "05b-measures.png")
    if "suivi" in pane.panels:
        pane.show_tab("suivi")
        app.processEvents()
        save(main, out / "05c-follow-up-timeline.png")
        pane.panels["suivi"].start_new()
        app.processEvents()
        save(main, out / "06-follow-up.png")
        pane.panels["suivi"].close_form()
    pane.show_tab("consentements")
    app.processEvents()
    save(main, out / "07-consents.png")
    if "documents" in pane.panels:
        pane.show_tab("documents")
        app.processEvents()
        save(main, out / "07b-dossier-documents.png")
        documents = pane.panels["documents"]
        for opener, name in ((documents.open_notice, "07c-notice-dialog.png"),
                             (documents.open_report, "07d-judge-report-dialog.png")):
            opener()
            app.processEvents()
            save(documents.dialog, out / name)
            documents.dialog.reject()
    main.show_page("journal")
    journal = main.pages.currentWidget()
    journal.run_search()  # type: ignore[attr-defined]
    app.processEvents()
    save(main, out / "08-journal.png")
    retention_screens(app, main, out)
    if "documents" in main.page_keys():
        main.show_page("documents")
        documents_page = main.pages.currentWidget()
        app.processEvents()
        save(main, out / "08b-documents-page.png")
        documents_page.open_statistics()  # type: ignore[attr-defined]
        app.processEvents()
        save(documents_page.dialog, out / "08c-statistics-dialog.png")  # type: ignore[attr-defined]
        documents_page.dialog.reject()  # type: ignore[attr-defined]
    if "droits" in main.page_keys():
        rights_screens(app, main, out, base)
    main.show_page("comptes")
    app.processEvents()
    save(main, out / "09-accounts.png")
    main.show_page("parametres")
    app.processEvents()
    save(main, out / "09b-settings.png")
    main.show_page("sauvegardes")
    backups = main.pages.currentWidget()
    (base / "sauvegardes").mkdir()
    backups.make(base / "sauvegardes" / "sillage-demo.sillage-backup")  # type: ignore[attr-defined]
    wait_until(app, lambda: not backups.busy)  # type: ignore[attr-defined]
    save(main, out / "09c-backups.png")
    main.show_page("jeunes")
    page.new_dossier()  # type: ignore[attr-defined]
    app.processEvents()
    save(page.dialog, out / "13-new-dossier.png")  # type: ignore[attr-defined]
    page.dialog.reject()  # type: ignore[attr-defined]
    pane.ask_close()
    app.processEvents()
    save(pane.dialog, out / "14-close-dossier.png")
    pane.dialog.reject()  # type: ignore[union-attr]
    dialog_screens(app, main, pane, out)
    from ui.dialogs.auth.change_password import ChangePassword

    change = ChangePassword(lambda _old, _new: None, login="hfabre", name="Hélène Fabre", voluntary=True)
    change.show()
    app.processEvents()
    save(change, out / "15-change-password.png")
    change.close()
    controller.watcher.remaining.emit(25)
    controller.watcher.warn.emit(25)
    app.processEvents()
    save(main, out / "10-lock-warning.png")
    controller.lock()
    app.processEvents()
    assert controller.lock_screen is not None
    save(controller.lock_screen, out / "11-lock-screen.png")
    controller.switch_user()
    as_user("educateur")
    assert controller.main is not None
    controller.main.resize(WIDTH, HEIGHT)
    app.processEvents()
    save(controller.main, out / "12-educator-list.png")
    controller.logout()
    as_user("archiviste")
    assert controller.main is not None
    controller.main.resize(WIDTH, HEIGHT)
    archive_screens(app, controller.main, out)
    controller.shutdown()
    shutil.rmtree(base, ignore_errors=True)
    del translators
    print(f"Screens written to {out}")
    for line in TOO_BIG:
        print(f"LARGER THAN {WIDTH}×{HEIGHT}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
