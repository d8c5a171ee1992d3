"""Guard on bounded free text (R-4.3)."""

from app.textguard.guard import GuardWarning, check_free_text, guard_kinds

__all__ = ["GuardWarning", "check_free_text", "guard_kinds"]
