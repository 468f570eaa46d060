"""Writes on activities, attendance and funds, one function per use case, grouped by subject:

- activities: activities, invitations, attendance and the representative's check-in
- notices: announcements, the day-before notices and the quarterly duty check
- funds: amounts, station budgets, expenses and their receipts
"""
