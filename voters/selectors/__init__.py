"""Reads of the voters app, scoped by liaison.access, one module per subject."""
