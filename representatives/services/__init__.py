"""Writes on representatives, one function per use case, grouped by subject:

- roster: create, update, end service, corrections
- groups: representative groups and their members
- imports: the Excel/CSV roster import
- register: the mobile register, joint meetings and the half-yearly refresh
"""
