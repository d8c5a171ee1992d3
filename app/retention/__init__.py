"""Retention of dossiers: schedule, decisions, archive and purge (SPEC §6)."""
