"""Views of the representatives app, one module per subject (roster, imports, groups, register)."""
