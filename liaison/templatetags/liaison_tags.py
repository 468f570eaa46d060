from django import template

from liaison.privacy import mask_address, mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value)


@register.filter
def masked_address(value):
    return mask_address(value)


@register.filter
def add_class(field, css_class):
    """Render a form field's widget with an extra CSS class (for hand-laid filter bars)."""
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css_class}".strip()})
