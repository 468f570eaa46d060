"""Writes of the voters app, one module per subject."""
