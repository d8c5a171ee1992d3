"""Rights of the persons: the register, its deadlines, the access/portability export (SPEC §7)."""
