"""The built site on this machine, as tests and benchmarks see it: served on 127.0.0.1 the
way a static host serves it, and opened in Debian's headless Chromium (never a browser that
a test tool downloads)."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import PortalError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Flags that keep Chromium from contacting anything but the page it is given."""
CHROMIUM_CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")

HeaderRules = list[tuple[str, list[tuple[str, str]]]]


def chromium_path() -> str:
    """$PORTAL_CHROMIUM (set by build.py), else Debian's headless shell or full Chromium."""
    for candidate in (os.environ.get("PORTAL_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    raise PortalError("Chromium saknas: kör via python3 build.py, som installerar Debians chromium-headless-shell.")


def read_header_rules(directory: Path) -> HeaderRules:
    """The site's `_headers` file (Netlify/Cloudflare format): (path pattern, headers)."""
    path = directory / "_headers"
    rules: HeaderRules = []
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: HeaderRules, path: str) -> list[tuple[str, str]]:
    """The headers of the first rule whose pattern matches `path`, as such hosts apply them."""
    for pattern, headers in rules:
        if fnmatch.fnmatch(path.split("?")[0], pattern):
            return headers
    return []


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves files as a static host does: its 404.html for unknown addresses, and the cache
    headers of its `_headers` file."""

    def __init__(self, *args, header_rules: HeaderRules, **kwargs) -> None:
        self.header_rules = header_rules
        """The site's `_headers` rules, read once when serving starts."""
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in headers_for(self.header_rules, self.path):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free port of 127.0.0.1 as a static host would; yields the base URL."""
    handler = functools.partial(StaticHostHandler, directory=str(directory),
                                header_rules=read_header_rules(Path(directory)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
