"""Schema versions of the main database (``PRAGMA user_version``) and their migrations (R-2.5)."""
