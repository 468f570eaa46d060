"""Text rules of representatives' data, shared by forms, filters, the import and the services:
phone numbers and specialty lists. (General normalisation is `liaison.text`.)"""

from __future__ import annotations

import re

from liaison.text import normalize_text

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
SPECIALTY_SPLIT_RE = re.compile(r"[、,，;；/\s]+")


def normalize_phone(value: object) -> str:
    """'１３８ ０００-１２３４' -> '13800001234'. Does not validate."""
    text = normalize_text(value)
    if text.endswith(".0"):  # a number cell read from Excel as a float
        text = text[:-2]
    return re.sub(r"[\s\-]", "", text)


def split_specialties(value: object) -> list[str]:
    """'法律、农业,教育' -> ['法律', '农业', '教育'] (order kept, duplicates dropped)."""
    names = [part for part in SPECIALTY_SPLIT_RE.split(normalize_text(value)) if part]
    return list(dict.fromkeys(names))
