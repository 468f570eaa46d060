"""A search-as-you-type choice (htmx): a search box and, below it, the matching rows as radio
buttons; never a <select> of every row. The endpoint is scoped by liaison.access."""

from django import forms
from django.urls import reverse


class SearchChoiceWidget(forms.Widget):
    template_name = "voters/widgets/search_choice.html"

    def __init__(self, url_name: str, *, placeholder: str = "", extra: str = "", attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.placeholder = placeholder
        self.extra = extra  # more query parameters for the endpoint, e.g. "level=township"
        self.queryset = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, "") and self.queryset is not None:
            from liaison.ids import parse_id

            pk = value.pk if hasattr(value, "pk") else parse_id(str(value))
            chosen = self.queryset.filter(pk=pk).first() if pk else None
        query = f"field={name}" + (f"&{self.extra}" if self.extra else "")
        context["widget"].update(url=f"{reverse(self.url_name)}?{query}", placeholder=self.placeholder, chosen=chosen)
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class SearchChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField shown as a SearchChoiceWidget; its queryset is the access scope."""

    def __init__(self, queryset, *, url_name: str, placeholder: str = "", extra: str = "", **kwargs):
        super().__init__(queryset, widget=SearchChoiceWidget(url_name, placeholder=placeholder, extra=extra), **kwargs)
        self.widget.queryset = queryset

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        if hasattr(self, "widget"):
            self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)
