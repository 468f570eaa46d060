"""Server-side PDFs with WeasyPrint, loaded lazily: a server without its native libraries (pango)
still runs, and `available()` says whether PDFs can be made (the page then offers "print" only).

WeasyPrint never fetches from the network here: the only URLs it may read are the project's own
static files (found locally, as `{% static %}` names them) and `data:` URIs inside them; any other
URL is refused and simply left out of the document.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse

logger = logging.getLogger(__name__)

# The document's base URL: a host that cannot exist (RFC 2606), never fetched; relative and
# root-relative URLs in the HTML resolve against it and the fetcher maps them to files.
BASE_URL = "https://liaison.invalid/"
PDF_CONTENT_TYPE = "application/pdf"


@functools.cache
def _load():
    """The weasyprint module, or None when it or its native libraries cannot load."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: libpango / libpangoft2 missing
        logger.warning("PDF generation is unavailable: %s", exc)
        return None
    return weasyprint


def available() -> bool:
    return _load() is not None


def static_path(url: str) -> Path | None:
    """The local file of a static URL under BASE_URL, or None (another host, outside the static
    files, a path escaping them)."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name or ".." in name.split("/") or name.startswith("/"):
        return None
    # Both lookups join with safe_join (a name escaping the static directories raises).
    if settings.STATIC_ROOT:  # production: the collected (hashed) files
        try:
            path = staticfiles_storage.path(name)
        except (NotImplementedError, SuspiciousFileOperation):
            path = None
        if path and os.path.isfile(path):
            return Path(path)
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and os.path.isfile(found) else None


def _fetcher_class(weasyprint):
    class StaticOnlyFetcher(weasyprint.URLFetcher):
        """Serves the project's static files and data: URIs; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise ValueError(f"The PDF may only use the project's static files, not {url}")
            mime = "text/css" if path.suffix == ".css" else None
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime} if mime else {})

    return StaticOnlyFetcher


def render(htmls: Sequence[str], *, title: str, stylesheet: str = "") -> bytes:
    """One PDF of several HTML documents, each laid out on its own (its own page numbers), their
    pages joined in order. `stylesheet` is extra CSS (the page margins' texts); `title` goes into
    the PDF's metadata. Raises RuntimeError when WeasyPrint is unavailable (check `available()`)."""
    weasyprint = _load()
    if weasyprint is None:
        raise RuntimeError("WeasyPrint is not available")
    fetcher = _fetcher_class(weasyprint)(timeout=1, allowed_protocols={"https", "data"}, allow_redirects=False)
    extra = [weasyprint.CSS(string=stylesheet, base_url=BASE_URL, url_fetcher=fetcher)] if stylesheet else []
    documents = [
        weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=extra) for html in htmls
    ]
    first = documents[0]
    pages = [page for document in documents for page in document.pages]
    document = first.copy(pages)
    document.metadata.title = title
    return document.write_pdf()


def pdf_response(content: bytes, filename: str, ascii_filename: str) -> HttpResponse:
    """A PDF download named `filename` (RFC 5987 filename*), with `ascii_filename` for old clients."""
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_filename}\"; filename*=utf-8''{quote(filename)}"
    return response
