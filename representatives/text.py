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


_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TERM_NUMBER = re.compile(r"第?([〇零一二两三四五六七八九十百\d]+)届?")


def _chinese_number(text: str) -> int | None:
    """十八 -> 18, 二十 -> 20, 一百零二 -> 102, 18 -> 18; None if it is not a number."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def term_sort_key(term: str) -> tuple[int, int, str]:
    """Order terms (届次) by their number: 第九届 < 第十届 < 第十八届 (text order puts 九 after 八)."""
    match = _TERM_NUMBER.fullmatch(term.strip())
    number = _chinese_number(match.group(1)) if match else None
    return (0, number, term) if number is not None else (1, 0, term)
