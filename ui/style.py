"""One accent colour, red only for danger/overdue, amber for due soon (UI.md).

Every colour pair used for text is declared in ``TEXT_PAIRS`` so that a test can check its
contrast (≥ 4.5:1, WCAG AA); focus is drawn as a visible ring on every kind of control, since
Qt style sheets ignore ``outline`` on buttons, check boxes and combo boxes.
"""

ACCENT = "#1f5f8b"
ACCENT_DARK = "#0b2a40"
DANGER = "#b3261e"
WARNING = "#8a5a00"
SUCCESS = "#1b5e20"
DEMO_BAND = "#7a3e00"
TEXT = "#1d2125"
MUTED_TEXT = "#333333"
WHITE = "#ffffff"
SIDEBAR_BG = "#f3f5f7"
WARNING_BG = "#fff4d6"
BUTTON_BG = "#f7f8fa"
BUTTON_BORDER = "#8c959f"
DISABLED_BG = "#e3e8ec"
DISABLED_TEXT = "#4a5560"
RESTRICTED_BG = "#e8eef3"

#: (foreground, background, where) — every text colour on its background (checked by a test;
#: "window" means the application palette's window colour, read at run time).
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    (ACCENT, "window", "titles"),
    (MUTED_TEXT, "window", "subtitles and notices"),
    (DANGER, "window", "error messages, overdue"),
    (WARNING, "window", "due soon"),
    (SUCCESS, "window", "success messages"),
    (WHITE, DEMO_BAND, "demo band"),
    (WHITE, ACCENT, "primary buttons, selected sidebar item"),
    (DISABLED_TEXT, DISABLED_BG, "disabled buttons"),
    (TEXT, BUTTON_BG, "buttons"),
    (TEXT, SIDEBAR_BG, "sidebar"),
    (TEXT, WARNING_BG, "lock warning band, retention count at login"),
    (TEXT, RESTRICTED_BG, "restricted dossier banner"),
)

_FOCUS = f"2px solid {ACCENT}"

STYLESHEET = f"""
QWidget {{ font-size: 10.5pt; }}
QLabel#title {{ font-size: 16pt; font-weight: 600; color: {ACCENT}; }}
QLabel#subtitle {{ color: {MUTED_TEXT}; }}
QLabel#error {{ color: {DANGER}; font-weight: 600; }}
QLabel#success {{ color: {SUCCESS}; font-weight: 600; }}
QLabel#notice {{ color: {MUTED_TEXT}; }}
QLabel#demoBand {{ background: {DEMO_BAND}; color: {WHITE}; font-weight: 700; padding: 4px; }}
QLabel#restrictedBanner {{ background: {RESTRICTED_BG}; color: {TEXT}; padding: 6px; border-left: 4px solid {ACCENT}; }}
#lockWarning, #retentionNotice {{ background: {WARNING_BG}; }}
#lockWarning QLabel, #retentionNotice QLabel {{ color: {TEXT}; }}

QPushButton {{ background: {BUTTON_BG}; color: {TEXT}; border: 1px solid {BUTTON_BORDER};
               border-radius: 4px; padding: 5px 14px; }}
QPushButton:hover {{ background: #eef2f6; }}
QPushButton:pressed {{ background: #dde4ea; }}
QPushButton:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; border-color: #c2c8cd; }}
QPushButton:focus {{ border: {_FOCUS}; padding: 4px 13px; }}
QPushButton#primary {{ background: {ACCENT}; color: {WHITE}; border: 1px solid {ACCENT}; padding: 6px 18px; }}
QPushButton#primary:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; border-color: #c2c8cd; }}
QPushButton#primary:focus {{ border: 2px solid {ACCENT_DARK}; padding: 5px 17px; }}

QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateEdit, QAbstractSpinBox {{
    border: 1px solid {BUTTON_BORDER}; border-radius: 3px; padding: 3px; background: {WHITE}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QAbstractSpinBox:focus {{
    border: {_FOCUS}; padding: 2px; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }}
QCheckBox:focus, QRadioButton:focus {{ border: {_FOCUS}; }}
QAbstractItemView {{ border: 1px solid {BUTTON_BORDER}; }}
QAbstractItemView:focus {{ border: {_FOCUS}; }}
QHeaderView::section {{ padding: 5px 6px; background: {SIDEBAR_BG}; color: {TEXT};
                        border: none; border-right: 1px solid #d0d5da; border-bottom: 1px solid #d0d5da; }}
QToolButton {{ border: 1px solid transparent; border-radius: 4px; padding: 4px 8px; }}
QToolButton:hover {{ border-color: {BUTTON_BORDER}; }}
QToolButton:focus {{ border: {_FOCUS}; }}
QToolButton::menu-indicator {{ image: none; width: 0px; }}
QScrollArea {{ border: 2px solid transparent; }}
QScrollArea:focus {{ border: {_FOCUS}; }}
QTabBar::tab:focus {{ color: {ACCENT}; text-decoration: underline; }}

QListWidget#sidebar {{ background: {SIDEBAR_BG}; color: {TEXT}; border: none; font-size: 11pt; }}
QListWidget#sidebar:focus {{ border: {_FOCUS}; }}
QListWidget#sidebar::item {{ padding: 8px 10px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: {WHITE}; }}
"""
