"""Masking of personal data for lists and logs (voters' and representatives' phones, addresses).

Who sees full numbers is decided in `liaison.access.sees_full_phones`; this module only masks.
"""

import re

# A run of seven or more digits in free text (a phone number written into a contact note).
_DIGIT_RUN = re.compile(r"\d{7,}")


def mask_phone(phone: str) -> str:
    """138****5678: enough to tell two numbers apart, not enough to call."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_address(address: str, keep: int = 6) -> str:
    """Keep the first characters (town, street); hide the house number."""
    address = (address or "").strip()
    if len(address) <= keep:
        return address
    return address[:keep] + "…"


def shown_phone(phone: str, *, full: bool) -> str:
    """The number as this reader may see it (`full` from access.sees_full_phones)."""
    return (phone or "").strip() if full else mask_phone(phone)


def shown_contact(text: str, *, full: bool) -> str:
    """Free text (an other contact) with any phone number in it masked unless `full`."""
    text = (text or "").strip()
    return text if full else _DIGIT_RUN.sub(lambda match: mask_phone(match.group()), text)
