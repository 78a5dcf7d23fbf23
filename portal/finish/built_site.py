"""What is done to the site after the engine has written it: a Content-Security-Policy on
every page, then every internal link checked. Works on the files in the site folder only, so
it does not depend on the engine that wrote them.

The policy is a <meta> tag because static hosts such as GitHub Pages cannot send headers. It
allows no inline script but the page's own, by their SHA-256 hashes computed here; that
includes the scripts inside a <template>, which a page script may clone into the document
later (a cloned inline script is checked against the policy like any other).

Pages are read with regular expressions, not an HTML parser: the pages are generated, and a
parser in pure Python would cost more than the build itself at 10,000 pages.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import html
import json
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import PortalError

POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
"""The directives every page gets; the page's own inline scripts are added to script-src.
img-src allows data: because Material's stylesheet draws its icons as data: SVG masks. There
is no 'wasm-unsafe-eval': Pyodide runs in a same-origin module worker, which gets its policy
from its own response (none), not from the page (tests/browser/test_csp.py runs the
calculator under this policy). frame-ancestors would be ignored in a <meta>."""

_ATTRS = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
"""The inside of a start tag, where a quoted value may hold a >. Each repetition starts with a
quote, so a tag without its closing > cannot make a match backtrack exponentially."""

_TOKEN = re.compile(
    # The look-ahead skips most other tags at once (a third of the time of this search).
    r"<(?=[!sStTaAlLiIfFmMbBvVeE])(?:!--.*?-->"
    # The text of these elements is not markup; a browser ends it at the first </name
    # followed by a space, / or > (a script's "escaped" states aside).
    r"|(script|style|textarea|title)\b(" + _ATTRS + r")>(.*?)</\1(?=[\t\n\f\r />])[^>]*>"
    r"|(a|area|link|img|source|iframe|form|meta|base|video|audio|track|embed|input)\b(" + _ATTRS + r")>)",
    re.S | re.I,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_STYLE = re.compile(r"style\s*=")
"""Lower case only, as the engines write attribute names: ignoring case makes this search
of every page six times slower."""
_HEAD = re.compile(r"<head\b" + _ATTRS + ">", re.I)
_CHARSET = re.compile(r"<meta\b[^>]*\bcharset\b" + _ATTRS + ">", re.I)
_FIRST_SCRIPT_OR_BODY = re.compile(r"<script\b|</head\b|<body\b", re.I)
_POLICY_META = re.compile(
    r"""<meta\b[^>]*\bhttp-equiv\s*=\s*(["']?)content-security-policy\1""" + _ATTRS + ">", re.I)
_HTML_START = re.compile(r"<html\b" + _ATTRS + ">|<!doctype\b[^>]*>", re.I)
_REFRESH_URL = re.compile(r"""\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.I)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_ANCHOR_ATTRIBUTE = re.compile(r"""[\s"'/](?:id|name)\s*=\s*["']?\Z""", re.I)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)

_EXECUTABLE_TYPES = frozenset({
    "", "module", "importmap", "speculationrules",
    "text/javascript", "application/javascript", "application/ecmascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript1.0", "text/javascript1.1",
    "text/javascript1.2", "text/javascript1.3", "text/javascript1.4", "text/javascript1.5",
    "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
"""Script types a browser runs, or checks against script-src as it does import maps; any
other type, such as application/json, is a data block and needs no hash."""

_LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",),
    "img": ("src",), "source": ("src",), "iframe": ("src",), "embed": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "form": ("action",),
}
_NOT_FETCHED_RELS = frozenset({"preconnect", "dns-prefetch"})
"""<link> relations that name an origin, not a file."""


def finish_site(site_dir: Path, site_url: str, *, csp: bool = True) -> None:
    """Add the Content-Security-Policy to every page (unless `csp` is off: the live-reload
    server injects an inline script of its own), then check every internal link; raises
    PortalError listing every broken link."""
    site = _Site(site_dir, site_url)
    for page in sorted(site.pages):
        try:
            text = (site_dir / page).read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            raise PortalError(f"{page} i den byggda webbplatsen är inte UTF-8 ({error.reason}).") from None
        parsed = parse_page(text)
        site.check_page(page, parsed, text)
        if csp:
            finished = with_policy(text, parsed)
            if finished != text:
                (site_dir / page).write_bytes(finished.encode("utf-8"))
    site.check_published_urls()
    broken = site.broken_links()
    if broken:
        count = len(broken)
        raise PortalError(
            "Trasiga länkar i den byggda webbplatsen:\n"
            + "\n".join(f"  {page}: {link} -> {missing}" for page, link, missing in broken)
            + (f"\n{count} trasiga länkar." if count > 1 else "\n1 trasig länk.")
            + " Rätta dem i innehållet eller i mallarna och bygg igen."
        )


# --- Content-Security-Policy -------------------------------------------------------------


def script_hash(text: str) -> str:
    """The CSP source of an inline script or style whose text is `text` as written in the file.
    A browser hashes what its parser made of it: every line ending turned into \\n."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.replace("\0", "\ufffd").encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy_for(parsed: Parsed) -> str:
    """The policy of one page."""
    extra = {
        "script-src": dict.fromkeys(script_hash(text) for text in parsed.inline_scripts),
        # A style attribute can only be allowed by 'unsafe-inline', which any hash would switch
        # off, so only a page that has one gets it (today's pages have none).
        "style-src": ["'unsafe-inline'"] if parsed.style_attributes
        else dict.fromkeys(script_hash(text) for text in parsed.inline_styles),
    }
    return "; ".join(" ".join([name, value, *extra.get(name, ())]) for name, value in POLICY)


def with_policy(text: str, parsed: Parsed | None = None) -> str:
    """`text` (a page) with its policy first in <head>, after <meta charset>, so that it
    covers every script; a policy already there (from an earlier run) is replaced."""
    if parsed is None:
        parsed = parse_page(text)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy_for(parsed), quote=False)}">'
    head = _HEAD.search(text)
    start = head.end() if head else 0
    limit = _FIRST_SCRIPT_OR_BODY.search(text, start)
    end = limit.start() if limit else len(text)
    old = _POLICY_META.search(text, start, end)
    while old:
        line_start = text.rfind("\n", 0, old.start())
        if line_start >= start and not text[line_start:old.start()].strip():
            text = text[:line_start] + text[old.end():]  # the line it was put on, too
        else:
            text = text[:old.start()] + text[old.end():]
        end -= old.end() - old.start()
        old = _POLICY_META.search(text, start, end)
    charset = _CHARSET.search(text, start, end)
    if charset:
        position = charset.end()
    elif head:
        position = head.end()
    else:
        # No <head> tag: a <meta> before any content still goes into the implied head.
        opening = _HTML_START.search(text, 0, end)
        position = opening.end() if opening else 0
    line = text[text.rfind("\n", 0, position) + 1:position]
    indent = line[: len(line) - len(line.lstrip())]
    return text[:position] + "\n" + indent + tag + text[position:]


# --- Reading pages -----------------------------------------------------------------------


@dataclass
class Parsed:
    """What one page holds that its policy and the link check need."""

    inline_scripts: list[str] = field(default_factory=list)
    """The text of every inline script that runs, <template> content included."""
    inline_styles: list[str] = field(default_factory=list)
    style_attributes: bool = False
    links: list[str] = field(default_factory=list)
    """Every URL the page refers to, entities decoded, in document order."""
    base: str | None = None
    """The href of the page's <base>, if it has one."""


@functools.lru_cache(maxsize=8192)
def _attributes(source: str) -> dict[str, str]:
    """The attributes of a start tag's inside, by lower-case name. Cached (callers only read
    the dict): most tags of a page are the theme's, written the same on every page."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(source):
        name = name.lower()
        if name not in found:  # the first of a repeated attribute wins, as in a browser
            value = double or single or bare
            found[name] = html.unescape(value) if "&" in value else value
    return found


def parse_page(text: str) -> Parsed:
    """The inline scripts and styles and the links of a page."""
    parsed = Parsed()
    raw_spans: list[int] = []
    for match in _TOKEN.finditer(text):
        raw_name, raw_attributes, raw_text, tag_name, tag_attributes = match.groups()
        if raw_name:
            raw_spans.extend(match.span(3))
            name = raw_name.lower()
            if name == "script":
                attributes = _attributes(raw_attributes)
                if "src" in attributes:
                    parsed.links.append(attributes["src"])
                elif attributes.get("type", "").strip().lower() in _EXECUTABLE_TYPES:
                    parsed.inline_scripts.append(raw_text)
            elif name == "style":
                parsed.inline_styles.append(raw_text)
        elif tag_name:
            _tag_links(tag_name.lower(), _attributes(tag_attributes), parsed)
    for match in _STYLE.finditer(text):
        position = match.start()
        # An attribute is inside a tag (a < after the last >), and not in a script's text
        # (inside one, an odd number of the text spans' edges come before it).
        if (position and text[position - 1] in " \t\n\r\f\"'"
                and text.rfind("<", 0, position) > text.rfind(">", 0, position)
                and bisect.bisect_right(raw_spans, position) % 2 == 0):
            parsed.style_attributes = True
            break
    return parsed


def _tag_links(name: str, attributes: dict[str, str], parsed: Parsed) -> None:
    if name == "meta":
        if attributes.get("http-equiv", "").lower() == "refresh":
            target = _REFRESH_URL.match(attributes.get("content", ""))
            if target and target.group(1).strip():
                parsed.links.append(target.group(1))
        return
    if name == "base":
        if parsed.base is None and "href" in attributes:
            parsed.base = attributes["href"]
        return
    if name == "link" and _NOT_FETCHED_RELS.intersection(attributes.get("rel", "").lower().split()):
        return
    if name == "input" and attributes.get("type", "").lower() != "image":
        return
    for attribute in _LINK_ATTRIBUTES[name]:
        value = attributes.get(attribute)
        if value is not None and (value.strip() or attribute != "action"):
            parsed.links.append(value)
    if "srcset" in attributes and name in ("img", "source"):
        parsed.links.extend(srcset_urls(attributes["srcset"]))


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset attribute: candidates separated by commas, each a URL and then
    optional descriptors (a URL may itself contain commas, as data: URLs do)."""
    urls = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while position < length and (srcset[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(srcset[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


def has_anchor(text: str, fragment: str) -> bool:
    """Whether a page has an element with this id (or an anchor with this name). Looks for the
    name itself first: a regular expression over every attribute of every page costs more."""
    if fragment.lower() == "top":
        return True  # a browser scrolls to the top of the page for #top
    for name in dict.fromkeys((fragment, unquote(fragment))):
        position = text.find(name)
        while position != -1:
            following = text[position + len(name): position + len(name) + 1]
            if ((following in ('"', "'", ">", "/", "") or following.isspace())
                    and _ANCHOR_ATTRIBUTE.search(text, max(0, position - 40), position)
                    and text.rfind("<", 0, position) > text.rfind(">", 0, position)):  # in a tag
                return True
            position = text.find(name, position + 1)
    return False


# --- Link check --------------------------------------------------------------------------


class _Site:
    """The files of the site folder, and every broken internal link found so far."""

    def __init__(self, site_dir: Path, site_url: str) -> None:
        self.dir = site_dir
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for folder, subfolders, names in os.walk(site_dir):
            relative = Path(folder).relative_to(site_dir).as_posix()
            prefix = "" if relative == "." else relative + "/"
            self.dirs.update(prefix + name for name in subfolders)
            self.files.update(prefix + name for name in names)
        self.pages = [name for name in self.files if name.endswith(".html")]
        address = urlsplit(site_url or "/")
        self.host = _host(address) if address.netloc else None
        """The site's own host and port, when site_url names one."""
        self.path = address.path.rstrip("/") + "/"
        """The site's path on its host, e.g. / or /faq/."""
        self.broken: set[tuple[str, str, str]] = set()
        """(page, link as written, what is missing)."""
        self.fragments: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
        """Fragments wanted in other pages: target page -> fragment -> {(page, link)}; each
        target is read once, after every page has been seen."""
        self.targets: dict[str, tuple[str | None, str | None]] = {}
        """(file, what is missing) by address as `_joined` makes it, (None, None) for one
        outside the site: pages share most of their links (the theme's, the categories'), and
        resolving each on every page was a third of the check."""

    def check_page(self, page: str, parsed: Parsed, text: str) -> None:
        # 404.html is served at every unknown address, but it sits in the root: its relative
        # links resolve from the root, as they do on a host's own address for a missing page.
        base = self.path + page
        if parsed.base is not None:
            base = self._resolve_path(parsed.base, base) or base
        for link in dict.fromkeys(parsed.links):
            self._check(page, link, base, text)

    def check_published_urls(self) -> None:
        """The absolute addresses published outside the pages: sitemap.xml and api/faq.json."""
        sitemap = self.dir / "sitemap.xml"
        if sitemap.is_file():
            for loc in _LOC.findall(sitemap.read_text(encoding="utf-8")):
                self._check("sitemap.xml", html.unescape(loc.strip()), self.path)
        faq = self.dir / "api" / "faq.json"
        if faq.is_file():
            for url in dict.fromkeys(_url_fields(json.loads(faq.read_text(encoding="utf-8")))):
                self._check("api/faq.json", url, self.path)

    def broken_links(self) -> list[tuple[str, str, str]]:
        """Every broken link, sorted by page; checks the fragments that point into other pages."""
        for target, wanted in self.fragments.items():
            text = (self.dir / target).read_bytes().decode("utf-8", errors="replace")
            for fragment, sources in wanted.items():
                if not has_anchor(text, fragment):
                    self.broken.update((page, link, f"{target}#{fragment} (id:t finns inte på sidan)")
                                       for page, link in sources)
        self.fragments.clear()
        return sorted(self.broken)

    def _check(self, page: str, link: str, base: str, text: str | None = None) -> None:
        """Record what `link` on `page` lacks in the site folder, if it is internal."""
        cleaned = link.strip().replace("\t", "").replace("\n", "").replace("\r", "")
        address, _, fragment = cleaned.partition("#")
        if not address:
            target = page
        else:
            joined = self._joined(address, base)
            if joined not in self.targets:
                self.targets[joined] = self._target(joined)
            target, missing = self.targets[joined]
            if missing:
                self.broken.add((page, link, missing))
                return
            if target is None:
                return
        if not fragment or not target.endswith(".html"):
            return
        if target == page and text is not None:
            if not has_anchor(text, fragment):
                self.broken.add((page, link, f"{target}#{fragment} (id:t finns inte på sidan)"))
        else:
            self.fragments[target][fragment].add((page, link))

    def _target(self, joined: str) -> tuple[str | None, str | None]:
        """The file an address (`_joined`) is served from and what is missing, if anything;
        (None, None) for another host or scheme."""
        path = self._path(joined)
        if path is None:
            return None, None
        if path == self.path.rstrip("/"):
            path = self.path
        if not path.startswith(self.path):
            return None, f"{path} (utanför webbplatsen {self.path})"
        return self._file(path[len(self.path):])

    def _resolve_path(self, address: str, base: str) -> str | None:
        """The URL path (decoded, dot segments removed) that `address` points to from the URL
        path `base`; None for another host or scheme."""
        return self._path(self._joined(address, base))

    def _joined(self, address: str, base: str) -> str:
        """A relative `address` put after the folder of the URL path `base`, without its query
        (not yet decoded, inner dot segments left); any other address as it is. What the
        address points to depends on this string alone, so pages share the result."""
        if _SCHEME.match(address) or address.startswith("/"):
            return address
        path = address.split("?", 1)[0] if "?" in address else address
        # The leading ../ of the links between pages are taken off here: normpath on
        # every link was a third of the check's time.
        directory = base[: base.rfind("/") + 1]
        if path in (".", ".."):
            path += "/"
        while True:
            if path.startswith("../"):
                directory = directory[: directory.rfind("/", 0, -1) + 1] or "/"
                path = path[3:]
            elif path.startswith("./"):
                path = path[2:]
            else:
                break
        return directory + path

    def _path(self, joined: str) -> str | None:
        """The URL path (decoded, dot segments removed) of an address made by `_joined`; None
        for another host or scheme."""
        scheme = _SCHEME.match(joined)
        if scheme or joined.startswith("//"):
            if scheme and scheme.group(1).lower() not in ("http", "https"):
                return None  # mailto:, tel:, data: ...
            parts = urlsplit(joined if scheme else "http:" + joined)
            path = parts.path or "/"
            # A page of the organisation's own host outside the site is not ours to check;
            # an absolute link into the site is (as the canonical links are).
            if self.host is None or _host(parts) != self.host or not (path + "/").startswith(self.path):
                return None
        else:
            path = joined.split("?", 1)[0] if "?" in joined else joined
        if "%" in path:
            path = unquote(path)
        if "/." not in path and "//" not in path:
            return path
        trailing = path.endswith(("/", "/.", "/.."))
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = path[1:]
        return path + "/" if trailing and path != "/" else path

    def _file(self, relative: str) -> tuple[str, str | None]:
        """The file a site-relative path is served from, and what is missing if there is none."""
        if relative == "" or relative.endswith("/"):
            index = relative + "index.html"
            if index in self.files:
                return index, None
            if relative.rstrip("/") in self.dirs:
                return index, f"{relative} (mappen saknar index.html)"
            return index, f"{relative} (filen finns inte)"
        if relative in self.files:
            return relative, None
        if relative in self.dirs:
            if relative + "/index.html" in self.files:
                return relative + "/index.html", None
            return relative, f"{relative}/ (mappen saknar index.html)"
        return relative, f"{relative} (filen finns inte)"


def _host(parts) -> tuple[str, int | None]:
    """Host and port of a split URL, with the scheme's default port left out."""
    try:
        port = parts.port
    except ValueError:
        port = None
    if port == {"http": 80, "https": 443}.get(parts.scheme.lower()):
        port = None
    return (parts.hostname or "").lower(), port


def _url_fields(value) -> list[str]:
    """Every string under a "url" key anywhere in a JSON document."""
    if isinstance(value, dict):
        found = [value["url"]] if isinstance(value.get("url"), str) else []
        for key, item in value.items():
            if key != "url":
                found.extend(_url_fields(item))
        return found
    if isinstance(value, list):
        return [url for item in value for url in _url_fields(item)]
    return []
