"""Information notices for every audience (R-8.1) and their delivery record (R-8.2)."""
