"""What a person can send, found as a browser would: the forms and links of the pages a role
reaches. Used by test_fuzz.py to send every form and every query with hostile values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from flask.testing import FlaskClient

# Pages that are files, not HTML, or that end the session: not followed.
_SKIP = ("/static/", "/vendor/", ".zip", ".json", ".bpmn", "/logout", "/download")


@dataclass
class Form:
    """A form of a page: where it goes, how, and its fields (name -> values as shown)."""

    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return self.method, self.action, tuple(sorted({name for name, _ in self.fields}))


class _Page(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None
        self.selected: list[str] = []
        self.options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "a" and attr.get("href", "").startswith(("/", "?")):
            self.links.append(urljoin(self.url, attr["href"]))
        elif tag == "form":
            action = urljoin(self.url, attr.get("action") or self.url)
            self.form = Form(attr.get("method", "get").upper(), action)
        elif self.form is not None and tag in ("input", "button") and attr.get("name"):
            kind = attr.get("type", "text" if tag == "input" else "submit")
            if kind == "file":
                self.form.files.append(attr["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.form.fields.append((attr["name"], attr.get("value", "on")))
            elif kind != "submit" or not any(n == attr["name"] for n, _ in self.form.fields):
                self.form.fields.append((attr["name"], attr.get("value", "")))
        elif self.form is not None and tag == "textarea" and attr.get("name"):
            self.textarea = attr["name"]
            self.form.fields.append((attr["name"], ""))
        elif self.form is not None and tag == "select" and attr.get("name"):
            self.select, self.selected, self.options = attr["name"], [], []
        elif self.select is not None and tag == "option":
            self.options.append(attr.get("value", ""))
            if "selected" in attr:
                self.selected.append(attr.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea is not None:
            name, text = self.form.fields.pop()
            self.form.fields.append((name, text + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.form is not None and self.select is not None:
            value = (self.selected or self.options or [""])[0]
            self.form.fields.append((self.select, value))
            self.select = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None


@dataclass
class Targets:
    """What a signed-in role can send: forms (GET and POST) and links with a query."""

    forms: dict[tuple[str, str, tuple[str, ...]], Form] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)


def crawl(client: FlaskClient, start: Iterable[str], limit: int = 80) -> Targets:
    """Follow the links of a role's pages from ``start``, breadth first, up to ``limit`` pages."""
    found = Targets()
    queue = list(start)
    seen: set[str] = set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        path_only = parts.path + ("?" + "&".join(sorted(k for k, _ in parse_qsl(parts.query))))
        if path_only in seen or any(skip in parts.path for skip in _SKIP):
            continue
        seen.add(path_only)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found.pages.add(url)
        page = _Page(url)
        page.feed(response.get_data(as_text=True))
        for form in page.forms:
            found.forms.setdefault(form.key, form)
        for link in page.links:
            target = urlsplit(link)
            if target.netloc in ("", "localhost"):
                queue.append(target.path + ("?" + target.query if target.query else ""))
    return found
