"""Voters, households and reception days: built by a later issue."""
