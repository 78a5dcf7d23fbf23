"""Finding content markers that a browser would execute, in a built site.

Payloads in content carry a marker `mark(N)`, N naming the content location it came from. A
marker printed as text is harmless; this module reports it only where a browser would run it:
inside a JavaScript <script>, in an event-handler attribute, in a javascript:/vbscript:/data:
URL, in srcdoc, or in an attribute name (a breakout). Pages are parsed, never grepped, so
every spelling (entities, case, whitespace) is seen the way a browser sees it.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

MARKER = re.compile(r"mark\(\s*(\d+)\s*\)", re.IGNORECASE)

JS_TYPES = {
    "", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
    "application/x-javascript", "application/x-ecmascript", "text/x-javascript", "text/x-ecmascript",
    "text/jscript", "text/livescript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
    "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
}
"""Script types a browser executes (the HTML standard's JavaScript MIME type essence matches)."""

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
    "codebase", "longdesc", "manifest", "ping", "icon", "lowsrc", "dynsrc",
}
"""Attributes a browser follows or loads as a URL (srcset and meta refresh handled apart)."""

_PLAIN_NAME = re.compile(r"^[a-z_:][a-z0-9_:.\-]*$")
"""What attribute names in well-formed output look like; anything else came from a breakout."""

_STRIPPED = re.compile(r"[\x00-\x20\x7f]")
"""ASCII whitespace and control characters: browsers ignore them when reading a URL scheme."""

_RAW_TEXT = ("title", "textarea")
"""Elements whose content browsers read as text only (RCDATA), never as markup."""


@dataclass(frozen=True)
class Finding:
    """A marker in an executable place."""

    marker: int | None
    """The location number in mark(N), or None when a breakout carried no marker."""
    kind: str
    """What executes it, e.g. 'onerror on <img>' (findings of one kind and marker are one leak)."""
    page: str
    """Where: the file in the site, plus a part inside it for JSON documents."""
    context: str
    """What was found, shortened."""

    def __str__(self) -> str:
        return f"{self.page}: {self.context}"


def markers(text: str) -> set[int]:
    return {int(number) for number in MARKER.findall(text)}


_IMAGE_DATA = re.compile(r"image/(png|jpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)$")
"""data: media types a browser only ever decodes as pictures (SVG is a document: not here)."""


def executable_url(value: str) -> set[int | None] | None:
    """None for a harmless URL; for a javascript:, vbscript: or data: document URL, the
    markers it would execute or show ({None} when it carries none: still a script URL that no
    page of the site has of its own)."""
    cleaned = _STRIPPED.sub("", value)
    lowered = cleaned.lower()
    if lowered.startswith(("javascript:", "vbscript:")):
        # Browsers percent-decode a javascript: URL before running it.
        found: set[int | None] = set(markers(cleaned) | markers(unquote(cleaned)))
        return found or {None}
    if lowered.startswith("data:"):
        header, _, body = cleaned[5:].partition(",")
        found = set(markers(cleaned) | markers(unquote(body)))
        if ";base64" in header.lower():
            found |= set(markers(decode_base64(unquote(body))))
        media_type = header.split(";")[0].lower()
        if found or not _IMAGE_DATA.match(media_type):
            return found or {None}
    return None


def decode_base64(text: str) -> str:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _short(text: str, around: int = 0, width: int = 160) -> str:
    around = len(" ".join(text[:around].split()))  # the same place once white space is folded
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    start = max(0, around - width // 3)
    return ("…" if start else "") + text[start:start + width] + "…"


def _tag_text(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    shown = " ".join(name if value is None else f'{name}="{value}"' for name, value in attrs)
    return f"<{tag} {shown}>" if shown else f"<{tag}>"


class ExecutableMarkers(HTMLParser):
    """Parses one HTML document (or fragment) and collects markers in executable places."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.findings: list[Finding] = []
        self._script: tuple[str, list[str]] | None = None
        """The open <script>'s type and text so far."""

    def _found(self, numbers: set | None, kind: str, context: str) -> None:
        numbers = {number for number in numbers or () if number is not None} or {None}
        for number in sorted(numbers, key=lambda n: -1 if n is None else n):
            around = context.lower().find(f"mark({number})") if number is not None else -1
            self.findings.append(Finding(number, kind, self.page, _short(context, max(around, 0))))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_attributes(tag, attrs)
        if tag == "script":
            kind = next((value or "" for name, value in attrs if name == "type"), "")
            self._script = (kind.split(";")[0].strip().lower(), [])
        elif tag in _RAW_TEXT:
            # Until </title> or </textarea> a browser sees only text; a payload that does not
            # close the element first is inert there, whatever it looks like.
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_attributes(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._end_script()

    def close(self) -> None:
        super().close()
        self._end_script()

    def _end_script(self) -> None:
        if self._script is None:
            return
        kind, parts = self._script
        self._script = None
        text = "".join(parts)
        if kind in JS_TYPES and (found := markers(text)):
            where = MARKER.search(text)
            self._found(found, "<script> element", f"<script{' type=' + kind if kind else ''}>"
                        + _short(text, where.start() if where else 0))

    def _check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        everything = markers(" ".join(f"{name} {value or ''}" for name, value in attrs))
        context = _tag_text(tag, attrs)
        # (markers, kind, what), most telling first: one breakout shows as one finding.
        found: list[tuple[set, str, str]] = []
        for name, value in attrs:
            value = value or ""
            if markers(name):
                found.append((markers(name), f"attribute name on <{tag}>", f"attribute name {name!r} in {context}"))
            elif name.startswith("on"):
                # No page of the site has event handlers of its own (the CSP forbids them), so
                # one without a marker is still a breakout, just an unattributed one.
                found.append((markers(value) or everything, f"{name} on <{tag}>", f"event handler {name} in {context}"))
            if name in URL_ATTRIBUTES and (numbers := executable_url(value)):
                found.append((numbers, f"{name} URL on <{tag}>", f"{name} URL in {context}"))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0] if candidate.strip() else ""
                    if numbers := executable_url(url):
                        found.append((numbers, f"srcset URL on <{tag}>", f"srcset URL in {context}"))
            elif name == "srcdoc" and (numbers := markers(value)):
                found.append((numbers, f"srcdoc on <{tag}>", f"srcdoc in {context}"))
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            equiv = next((value or "" for name, value in attrs if name == "http-equiv"), "")
            content = next((value or "" for name, value in attrs if name == "content"), "")
            if equiv.strip().lower() == "refresh":
                url = re.sub(r"^\s*[\d.]*\s*[;,]?\s*(url\s*=\s*)?", "", content, flags=re.IGNORECASE).strip("'\" ")
                if numbers := executable_url(url):
                    found.append((numbers, "refresh URL on <meta>", f"refresh URL in {context}"))
        for name, _ in attrs:
            if not markers(name) and not name.startswith("on") and (name == "x" or not _PLAIN_NAME.match(name)):
                found.append((everything, f"breakout attribute on <{tag}>", f"attribute {name!r} from a breakout in {context}"))
        reported: set = set()
        for numbers, kind, what in found:
            numbers = {number for number in numbers if number is not None} or {None}
            if numbers - reported:
                self._found(numbers - reported, kind, what)
                reported |= numbers


def find_in_html(text: str, page: str) -> list[Finding]:
    parser = ExecutableMarkers(page)
    parser.feed(text)
    parser.close()
    return parser.findings


def find_in_search_index(path: Path, page: str) -> list[Finding]:
    """Material's search UI inserts each document's title and text as HTML."""
    findings: list[Finding] = []
    index = json.loads(path.read_text(encoding="utf-8"))
    for number, document in enumerate(index.get("docs", [])):
        where = f"{page} docs[{number}] ({document.get('location', '?')})"
        for field in ("title", "text"):
            findings += find_in_html(str(document.get(field, "")), f"{where} {field}")
        for marker in executable_url(str(document.get("location", ""))) or ():
            findings.append(Finding(marker, "search result link", f"{where} location", _short(document["location"])))
    return findings


def scan_site(site_dir: Path) -> tuple[list[Finding], list[str]]:
    """Every executable marker in the site, and every JSON or XML file that does not parse."""
    findings: list[Finding] = []
    broken: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        page = path.relative_to(site_dir).as_posix()
        try:
            if path.suffix == ".html":
                findings += find_in_html(path.read_text(encoding="utf-8"), page)
            elif path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
                if page == "search/search_index.json":
                    findings += find_in_search_index(path, page)
            elif path.name.endswith(".xml"):
                ElementTree.fromstring(path.read_bytes())
            elif path.name.endswith(".xml.gz"):
                ElementTree.fromstring(gzip.decompress(path.read_bytes()))
            elif path.suffix == ".whl":
                # The calculator's wheel carries the fee data (sources, notes) as fees.json.
                with zipfile.ZipFile(path) as wheel:
                    for member in wheel.namelist():
                        if member.endswith(".json"):
                            json.loads(wheel.read(member).decode("utf-8"))
        except (ValueError, ElementTree.ParseError, OSError, zipfile.BadZipFile) as error:
            broken.append(f"{page}: does not parse ({error})")
    return findings, broken


_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def quoted_markers(text: str) -> set[int]:
    """Markers anywhere in `text`, also inside base64 (a data: URL quoted or printed)."""
    return markers(text) | {number for chunk in _BASE64.findall(text) for number in markers(decode_base64(chunk))}


def published_markers(site_dir: Path) -> set[int]:
    """Every marker anywhere in the site's text files, executable or not: evidence that the
    payloads reached the pages at all."""
    found: set[int] = set()
    for path in site_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            found |= quoted_markers(path.read_text(encoding="utf-8", errors="replace"))
    return found
