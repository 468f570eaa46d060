"""Masking of personal data for lists and logs (voters' and representatives' phones, addresses)."""


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
