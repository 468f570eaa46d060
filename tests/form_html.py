"""What a browser would send back: the fields of a form read from a page's HTML, as rendered."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"method", "fields": [(name, value)], "names": set}
        self._form: dict | None = None
        self._select: dict | None = None  # {"name", "multiple", "options": [(value, selected)]}
        self._option: list | None = None  # [value or None, text, selected]
        self._textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "fields": [], "names": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self._form["names"].add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, text, selected = self._option
            self._select["options"].append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select, self._select = self._select, None
            self._form["names"].add(select["name"])
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]  # a browser sends the first option
            self._form["fields"].extend((select["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._textarea = None
            # The HTML parser keeps the newline a browser drops right after <textarea>.
            text = text[1:] if text.startswith("\n") else text
            self._form["names"].add(name)
            self._form["fields"].append((name, text.replace("\r\n", "\n")))
        elif tag == "form":
            self._form = None


def post_form_data(html: str, *, containing: str) -> dict[str, str | list[str]]:
    """The fields of the first POST form holding a field named `containing`, as a browser sends
    them (unchecked boxes left out, a select's selected option, a textarea's text)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and containing in form["names"]:
            data: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    raise AssertionError(f"no POST form with a field {containing!r} on the page")
