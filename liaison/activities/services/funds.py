"""Writes on funds: amounts, station budgets, expenses and their receipts."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Activity, Expense, FundPurpose, StationBudget
from liaison.text import normalize_text

MAX_AMOUNT = Decimal("9999999999.99")
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# Receipt types: extension -> the bytes such a file starts with.
RECEIPT_TYPES = {".pdf": (b"%PDF-",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",)}


# --- Amounts --------------------------------------------------------------------------------


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """An amount in yuan as an exact Decimal with at most two places; Chinese errors otherwise."""
    message = _("Enter an amount in yuan with at most two decimal places, for example 1280.50.")
    if isinstance(value, float):
        raise TypeError("amounts are never floats")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: [message]}) from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError({field: [message]})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: [_("The amount must be greater than zero.")]})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: [_("The amount is too large.")]})
    return amount.quantize(Decimal("0.01"))


# --- Funds ------------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor, station, year: int, purpose: str, amount, note: str = "") -> StationBudget:
    """Set a station's budget for a year and purpose (creating or changing it; history kept)."""
    errors: dict[str, list[str]] = {}
    if station is None or not access.activity_stations(actor).filter(pk=station.pk).exists():
        errors["station"] = [_("You may not keep the budget of this station.")]
    if purpose not in FundPurpose.values:
        errors["purpose"] = [_("Choose what the money is for.")]
    if not (2000 <= int(year) <= 2100):
        errors["year"] = [_("Enter a year such as 2026.")]
    try:
        amount = parse_amount(amount, allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    budget = StationBudget.objects.select_for_update().filter(station=station, year=year, purpose=purpose).first()
    if budget is None:
        budget = StationBudget(station=station, year=year, purpose=purpose)
    budget.amount = amount
    budget.note = normalize_text(note)
    budget._history_user = actor
    budget.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError:  # a concurrent first save of the same budget: change that one
        budget = StationBudget.objects.select_for_update().get(station=station, year=year, purpose=purpose)
        budget.amount, budget.note, budget._history_user = amount, normalize_text(note), actor
        budget.save()
    return budget


def validate_receipt(receipt) -> None:
    """A receipt is a PDF, JPEG or PNG of at most 5 MB, and really is one (its first bytes)."""
    import os

    if receipt is None:
        return
    extension = os.path.splitext(receipt.name or "")[1].lower()
    if extension not in RECEIPT_TYPES:
        raise ValidationError({"receipt": [_("A receipt must be a PDF, JPG or PNG file.")]})
    if receipt.size > RECEIPT_MAX_BYTES:
        raise ValidationError({"receipt": [_("A receipt may be at most 5 MB.")]})
    receipt.seek(0)
    head = receipt.read(8)
    receipt.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_TYPES[extension]):
        raise ValidationError({"receipt": [_("This file is not a readable PDF, JPG or PNG.")]})


@transaction.atomic
def expense_record(
    *, actor, activity: Activity, amount, purpose: str, spent_on: datetime.date, note: str = "", receipt=None
) -> Expense:
    errors: dict[str, list[str]] = {}
    if not access.activities_changeable(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("You may not record expenses of this activity."))
    try:
        amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if purpose not in FundPurpose.values:
        errors["purpose"] = [_("Choose what the money is for.")]
    if spent_on is None:
        errors["spent_on"] = [_("Enter the date of the expense.")]
    try:
        validate_receipt(receipt)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    expense = Expense(
        activity=activity,
        amount=amount,
        purpose=purpose,
        spent_on=spent_on,
        note=normalize_text(note),
        recorded_by=actor,
    )
    if receipt is not None:
        expense.receipt = receipt
    expense._history_user = actor
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def expense_delete(*, actor, expense: Expense) -> None:
    expense._history_user = actor
    expense.delete()
