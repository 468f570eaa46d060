"""Writes on representatives, one function per use case, grouped by subject:

- roster: create, update, end service, link an account
- corrections: correction requests, decided by the station
- groups: representative groups and their members
- mobile_register: the mobile register's entries, verification and joint meetings
- refresh: the half-yearly refresh of the mobile register, its reminders
- imports (with import_format, import_rows, import_matching, import_writing): the roster import
- exports: the workbooks the app hands out
"""
