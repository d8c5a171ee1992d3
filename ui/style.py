"""One accent colour, red only for danger/overdue, amber for due soon (UI.md)."""

ACCENT = "#1f5f8b"
DANGER = "#b3261e"
WARNING = "#8a5a00"
DEMO_BAND = "#7a3e00"

STYLESHEET = f"""
QWidget {{ font-size: 10.5pt; }}
QLabel#title {{ font-size: 16pt; font-weight: 600; color: {ACCENT}; }}
QLabel#subtitle {{ color: #333333; }}
QLabel#error {{ color: {DANGER}; font-weight: 600; }}
QLabel#notice {{ color: #333333; }}
QLabel#demoBand {{ background: {DEMO_BAND}; color: white; font-weight: 700; padding: 4px; }}
QPushButton#primary {{ background: {ACCENT}; color: white; padding: 6px 18px; border-radius: 4px; }}
QPushButton#primary:disabled {{ background: #8aa7bd; }}
QPushButton:focus, QLineEdit:focus {{ outline: 2px solid {ACCENT}; }}
QListWidget#sidebar {{ background: #f3f5f7; border: none; font-size: 11pt; }}
QListWidget#sidebar::item {{ padding: 8px 10px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
"""
