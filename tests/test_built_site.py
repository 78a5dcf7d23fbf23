"""portal/finish/built_site.py: the Content-Security-Policy added to every built page, and the check
of every internal link of the built site. Small hand-made site folders for the rules, then
the real build for what must hold whatever the content is."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portal.finish.built_site import finish_site, parse_page
from portal.errors import PortalError

SITE_URL = "https://example.org/faq/"


def page(body: str = "", head: str = "") -> str:
    return f"""<!doctype html>
<html lang="sv">
  <head>
    <meta charset="utf-8">
    <title>Sida</title>
{head}
  </head>
  <body>
<h1 id="rubrik">Sida</h1>
{body}
  </body>
</html>
"""


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def broken_links(site: Path, site_url: str = SITE_URL) -> list[str]:
    """The lines of the error that list broken links, or [] when the check passes."""
    try:
        finish_site(site, site_url)
    except PortalError as error:
        message = str(error)
        assert message.startswith("Trasiga länkar i den byggda webbplatsen:\n")
        return [line.strip() for line in message.splitlines() if line.startswith("  ")]
    return []


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


# --- Link check ----------------------------------------------------------------------------


def test_a_link_to_a_missing_page_is_reported_with_its_page(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<a href="fragor/finns/">finns</a> <a href="fragor/saknas/">saknas</a>'),
        "fragor/finns/index.html": page('<a href="../../index.md">Start</a>'),
    })
    assert broken_links(site) == [
        "fragor/finns/index.html: ../../index.md -> index.md (filen finns inte)",
        "index.html: fragor/saknas/ -> fragor/saknas/ (filen finns inte)",
    ]


def test_every_kind_of_reference_is_checked(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page(
            '<img src="a.png" srcset="a.png 1x, saknas-2x.png 2x" alt="">'
            '<picture><source srcset="saknas.webp"><img src="a.png" alt=""></picture>'
            '<iframe src="saknas.html"></iframe>'
            '<form action="sok/"></form>'
            '<script src="saknas.js"></script>',
            head='<link rel="stylesheet" href="saknas.css"><meta http-equiv="refresh" content="5; url=flyttad/">',
        ),
        "a.png": b"\x89PNG",
    })
    assert broken_links(site) == [
        "index.html: flyttad/ -> flyttad/ (filen finns inte)",
        "index.html: saknas-2x.png -> saknas-2x.png (filen finns inte)",
        "index.html: saknas.css -> saknas.css (filen finns inte)",
        "index.html: saknas.html -> saknas.html (filen finns inte)",
        "index.html: saknas.js -> saknas.js (filen finns inte)",
        "index.html: saknas.webp -> saknas.webp (filen finns inte)",
        "index.html: sok/ -> sok/ (filen finns inte)",
    ]


def test_a_folder_without_index_html_is_reported(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<a href="bilder/">bilder</a> <a href="bilder">bilder</a>'),
        "bilder/a.png": b"\x89PNG",
    })
    assert broken_links(site) == [
        "index.html: bilder -> bilder/ (mappen saknar index.html)",
        "index.html: bilder/ -> bilder/ (mappen saknar index.html)",
    ]


def test_missing_fragments_are_reported_and_existing_ones_pass(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page(
            '<a href="#rubrik">här</a> <a href="#saknas">här</a> <a href="#top">upp</a> <a href="#">upp</a>'
            '<a href="annan/#stycke">där</a> <a href="annan/#gammalt">där</a> <a href="annan/#fel">där</a>'
            '<a href="annan/#r%C3%A4kna">räkna</a>'
        ),
        "annan/index.html": page('<p id="stycke">text</p><a name="gammalt"></a><h2 id="räkna">Räkna</h2>'
                                 "<p>#fel står bara i texten, id=\"fel\" också</p>"),
    })
    assert broken_links(site) == [
        "index.html: #saknas -> index.html#saknas (id:t finns inte på sidan)",
        "index.html: annan/#fel -> annan/index.html#fel (id:t finns inte på sidan)",
    ]


def test_sitemap_and_faq_json_must_point_at_built_pages(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page(),
        "fragor/finns/index.html": page(),
        "sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>'
                       f"<url><loc>{SITE_URL}</loc></url><url><loc>{SITE_URL}fragor/finns/</loc></url>"
                       f"<url><loc>{SITE_URL}fragor/borta/</loc></url></urlset>",
        "api/faq.json": f'[{{"id": "finns", "url": "{SITE_URL}fragor/finns/"}},'
                        f' {{"id": "saknas", "url": "{SITE_URL}fragor/saknas/"}}]',
    })
    assert broken_links(site) == [
        f"api/faq.json: {SITE_URL}fragor/saknas/ -> fragor/saknas/ (filen finns inte)",
        f"sitemap.xml: {SITE_URL}fragor/borta/ -> fragor/borta/ (filen finns inte)",
    ]


def test_the_configured_local_host_is_internal(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<link rel="canonical" href="http://127.0.0.1:8000/saknas/">'
                           '<a href="http://127.0.0.1:8000/">start</a>'),
    })
    assert broken_links(site, "http://127.0.0.1:8000/") == [
        "index.html: http://127.0.0.1:8000/saknas/ -> saknas/ (filen finns inte)",
    ]


def test_external_links_are_ignored(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page(
            '<a href="https://www.1177.se/saknas/">1177</a> <a href="//cdn.example.com/x.js">cdn</a>'
            '<a href="mailto:kundtjanst@example.org">mejl</a> <a href="tel:+46771000000">ring</a>'
            '<img src="data:image/png;base64,AAAA" alt=""> <a href="javascript:void(0)">js</a>'
            # The organisation's own pages outside the site are not the site's to check.
            '<a href="https://example.org/om-oss/">om oss</a>'
        ),
    })
    assert broken_links(site) == []


def test_query_and_percent_encoding_and_root_relative_links(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<a href="r%C3%A4kna/?region=SE-AB#rubrik">räkna</a> <a href="./r%C3%A4kna">räkna</a>'
                           '<a href="/faq/r%C3%A4kna/">räkna</a> <a href="/r%C3%A4kna/">räkna</a>'
                           '<a href="..">upp</a> <a href="a&amp;b.txt">fil</a>'),
        "räkna/index.html": page(),
        "a&b.txt": "",
    })
    assert broken_links(site) == [
        "index.html: .. -> / (utanför webbplatsen /faq/)",
        "index.html: /r%C3%A4kna/ -> /räkna/ (utanför webbplatsen /faq/)",
    ]


def test_404_page_links_resolve_from_the_site_root(tmp_path):
    site = make_site(tmp_path, {
        "404.html": page('<a href="/faq/">start</a> <a href="/faq/kalkylator/">kalkylator</a> '
                         '<a href="/faq/index.md">start</a> <a href="#rubrik">rubrik</a>',
                         head='<link rel="stylesheet" href="/faq/assets/main.css">'),
        "index.html": page(),
        "assets/main.css": "",
    })
    assert broken_links(site) == [
        "404.html: /faq/index.md -> index.md (filen finns inte)",
        "404.html: /faq/kalkylator/ -> kalkylator/ (filen finns inte)",
    ]


def test_links_in_comments_and_script_text_are_not_links(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<!-- <a href="saknas/">gammal</a> -->'
                           '<script>document.body.insertAdjacentHTML("beforeend", \'<a href="saknas/">\')</script>'),
    })
    assert broken_links(site) == []


# --- Content-Security-Policy ---------------------------------------------------------------


def csp_metas(text: str) -> list[str]:
    return re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', text)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def test_policy_comes_first_in_head_with_the_hash_of_every_inline_script(tmp_path):
    head_script = '\n    (function () { window.started = "ja"; })();\n  '
    body_script = "var target=document.getElementById(location.hash.slice(1))"
    later_script = "window.later = 1"
    site = make_site(tmp_path, {
        "index.html": page(
            f"<script>{body_script}</script>"
            '<script id="__config" type="application/json">{"base": "."}</script>'
            '<script src="app.js"></script>'
            f'<template id="sen"><script>{later_script}</script><script src="app.js"></script></template>',
            head=f'<script>{head_script}</script>\n<link rel="stylesheet" href="app.css">',
        ),
        "app.js": "",
        "app.css": "",
    })
    finish_site(site, SITE_URL)
    text = (site / "index.html").read_text(encoding="utf-8")
    [policy] = csp_metas(text)
    charset = text.index('<meta charset="utf-8">')
    meta = text.index("Content-Security-Policy")
    assert charset < meta < text.index("<title>") < text.index("<script")
    rules = directives(policy)
    assert rules["script-src"][0] == "'self'"
    assert sorted(rules["script-src"][1:]) == sorted(sha256_source(script)
                                                     for script in (head_script, body_script, later_script))
    assert "'unsafe-inline'" not in rules["script-src"] and "'unsafe-eval'" not in rules["script-src"]
    assert rules["object-src"] == ["'none'"]
    assert rules["default-src"] == ["'self'"]
    assert rules["style-src"] == ["'self'"]


def test_the_hash_is_of_the_text_the_browser_sees(tmp_path):
    # A browser turns CR LF and lone CR into LF before it hashes; entities are not decoded in a script.
    written = b"\r\n  var a = '&amp;';\r  var b = 1;\r\n"
    seen = "\n  var a = '&amp;';\n  var b = 1;\n"
    site = make_site(tmp_path, {"index.html": page("<script>" + written.decode() + "</script>").encode()})
    finish_site(site, SITE_URL)
    [policy] = csp_metas((site / "index.html").read_text(encoding="utf-8"))
    assert directives(policy)["script-src"] == ["'self'", sha256_source(seen)]


def test_a_page_without_scripts_allows_only_its_own_files(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page("<p>Ingen skript här.</p>"),
        "flyttad/index.html": '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
                              '<meta http-equiv="refresh" content="0; url=../">\n</head>\n<body></body>\n</html>\n',
    })
    finish_site(site, SITE_URL)
    for name in ("index.html", "flyttad/index.html"):
        [policy] = csp_metas((site / name).read_text(encoding="utf-8"))
        assert directives(policy)["script-src"] == ["'self'"]
        assert "sha256" not in policy


def test_inline_styles_get_a_hash_and_style_attributes_unsafe_inline_on_their_page_only(tmp_path):
    style = "h1 { color: red; }"
    site = make_site(tmp_path, {
        "index.html": page(head=f"<style>{style}</style>"),
        "attribut/index.html": page('<p style="color: red">röd</p>'),
        "ingen/index.html": page('<p>style="color: red" i text</p><script>var css = \'<p style="x">\'</script>'),
    })
    finish_site(site, SITE_URL)
    styles = {name: directives(csp_metas((site / name).read_text(encoding="utf-8"))[0])["style-src"]
              for name in ("index.html", "attribut/index.html", "ingen/index.html")}
    assert styles == {
        "index.html": ["'self'", sha256_source(style)],
        "attribut/index.html": ["'self'", "'unsafe-inline'"],
        "ingen/index.html": ["'self'"],
    }


def test_finishing_twice_changes_nothing_more(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page("<script>window.a = 1</script>", head="<script>window.b = 2</script>"),
        "tom/index.html": page(),
    })
    finish_site(site, SITE_URL)
    once = {name: (site / name).read_bytes() for name in ("index.html", "tom/index.html")}
    finish_site(site, SITE_URL)
    assert {name: (site / name).read_bytes() for name in once} == once
    assert len(csp_metas(once["index.html"].decode())) == 1


def test_a_changed_page_gets_a_new_policy_not_a_second_one(tmp_path):
    site = make_site(tmp_path, {"index.html": page("<script>window.a = 1</script>")})
    finish_site(site, SITE_URL)
    path = site / "index.html"
    path.write_text(path.read_text(encoding="utf-8").replace("window.a = 1", "window.a = 2"), encoding="utf-8")
    finish_site(site, SITE_URL)
    [policy] = csp_metas(path.read_text(encoding="utf-8"))
    assert directives(policy)["script-src"] == ["'self'", sha256_source("window.a = 2")]


def test_without_csp_pages_are_untouched_but_links_still_checked(tmp_path):
    site = make_site(tmp_path, {"index.html": page('<script>window.a = 1</script><a href="saknas/">x</a>')})
    before = (site / "index.html").read_bytes()
    with pytest.raises(PortalError, match="saknas/"):
        finish_site(site, SITE_URL, csp=False)
    assert (site / "index.html").read_bytes() == before


def test_a_page_that_is_not_utf8_is_named(tmp_path):
    site = make_site(tmp_path, {"index.html": page(), "gammal/index.html": page("<p>Malm\xf6</p>").encode("latin-1")})
    with pytest.raises(PortalError, match="gammal/index.html i den byggda webbplatsen är inte UTF-8"):
        finish_site(site, SITE_URL)


# --- The real build ------------------------------------------------------------------------


class _PageOrder(HTMLParser):
    """Start tags in document order, and the text of every script, as Python's own HTML
    parser reads them (independent of the regular expressions under test)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.events.append((tag, attributes))
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None




def executable(attributes: dict[str, str | None]) -> bool:
    """Whether a browser runs an inline script (or checks it against script-src, as an import
    map); other types are data blocks."""
    kind = (attributes.get("type") or "").strip().lower()
    return kind in ("", "module", "importmap", "speculationrules") or "javascript" in kind or "ecmascript" in kind


def built_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert pages, "the build wrote no pages"
    return pages


def test_every_built_page_has_one_policy_before_any_script(built_site):
    problems = []
    for path in built_pages(built_site):
        name = path.relative_to(built_site).as_posix()
        reader = _PageOrder()
        reader.feed(path.read_text(encoding="utf-8"))
        tags = [tag for tag, _ in reader.events]
        policies = [index for index, (tag, attributes) in enumerate(reader.events)
                    if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy"]
        if len(policies) != 1:
            problems.append(f"{name}: {len(policies)} policies")
            continue
        [position] = policies
        if "head" in tags and not tags.index("head") < position:
            problems.append(f"{name}: policy before <head>")
        if "body" in tags and not position < tags.index("body"):
            problems.append(f"{name}: policy after <body>")
        if "script" in tags and not position < tags.index("script"):
            problems.append(f"{name}: policy after the first script")
    assert problems == []


def test_every_inline_script_of_every_built_page_is_allowed_by_its_hash(built_site):
    problems = []
    for path in built_pages(built_site):
        name = path.relative_to(built_site).as_posix()
        reader = _PageOrder()
        reader.feed(path.read_text(encoding="utf-8"))
        [policy] = [attributes["content"] for tag, attributes in reader.events
                    if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy"]
        rules = directives(policy)
        script_src = rules.get("script-src", rules["default-src"])
        if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or "*" in script_src:
            problems.append(f"{name}: script-src {' '.join(script_src)}")
        for attributes, text in reader.scripts:
            if "src" in attributes or not executable(attributes):
                continue
            if sha256_source(text.replace("\r\n", "\n").replace("\r", "\n")) not in script_src:
                problems.append(f"{name}: no hash for inline script {text.strip()[:60]!r}")
        if rules.get("object-src") != ["'none'"]:
            problems.append(f"{name}: object-src {rules.get('object-src')}")
    assert problems == []


def configured_site_url() -> str:
    """The site_url the real build used (mkdocs.yml reads it from PORTAL_SITE_URL)."""
    return os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000/")


def test_the_built_site_passes_again_unchanged(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    finish_site(copy, configured_site_url())
    changed = [path.relative_to(copy).as_posix() for path in built_pages(copy)
               if path.read_bytes() != (built_site / path.relative_to(copy)).read_bytes()]
    assert changed == []


def test_a_link_broken_in_the_built_site_is_found(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    path = next(path for path in built_pages(copy) if path.parent != copy)
    name = path.relative_to(copy).as_posix()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</body>", '<a href="../finns-inte/#alls">x</a><a href="#saknas-helt">y</a></body>', 1),
                    encoding="utf-8")
    (copy / "sitemap.xml").write_text((copy / "sitemap.xml").read_text(encoding="utf-8").replace(
        "</urlset>", f"<url><loc>{configured_site_url()}borta/</loc></url></urlset>"), encoding="utf-8")
    with pytest.raises(PortalError) as raised:
        finish_site(copy, configured_site_url())
    message = str(raised.value)
    assert f"  {name}: ../finns-inte/#alls -> " in message
    assert f"  {name}: #saknas-helt -> {name}#saknas-helt (id:t finns inte på sidan)" in message
    assert f"  sitemap.xml: {configured_site_url()}borta/ -> borta/ (filen finns inte)" in message


LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                   "iframe": "src", "form": "action"}


def test_the_fast_reader_sees_what_an_html_parser_sees_on_every_built_page(built_site):
    """The build reads pages with regular expressions, for speed at 10,000 pages; on every page
    actually built, it must find the same links and inline scripts as Python's HTML parser."""
    differences = []
    for path in built_pages(built_site):
        text = path.read_text(encoding="utf-8")
        reader = _PageOrder()
        reader.feed(text)
        parser_links = [attributes[LINK_ATTRIBUTES[tag]] for tag, attributes in reader.events
                        if tag in LINK_ATTRIBUTES and attributes.get(LINK_ATTRIBUTES[tag])
                        and not (tag == "link" and "preconnect" in (attributes.get("rel") or ""))]
        parser_links += [attributes["content"].split("url=", 1)[1] for tag, attributes in reader.events
                         if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh"]
        parser_scripts = [text for attributes, text in reader.scripts if "src" not in attributes and executable(attributes)]
        parsed = parse_page(text)
        name = path.relative_to(built_site).as_posix()
        if sorted(parsed.links) != sorted(parser_links):
            differences.append(f"{name}: links {sorted(set(parsed.links) ^ set(parser_links))}")
        if parsed.inline_scripts != parser_scripts:
            differences.append(f"{name}: {len(parsed.inline_scripts)} inline scripts, the parser reads {len(parser_scripts)}")
    assert differences == []
