"""The built site on this machine, as tests and benchmarks see it: served on 127.0.0.1 the
way a static host serves it, and opened in Debian's headless Chromium (never a browser that
a test tool downloads).

Compression is negotiated as static hosts do it, when asked (`encodings`): a file's
precompressed sibling (`name.br`, `name.gz`, as nginx's brotli_static and gzip_static or GitLab
Pages send them) when the browser accepts that encoding, otherwise gzip made on the fly for
text, JavaScript, JSON, SVG and WebAssembly (as nginx's `gzip on`, GitHub Pages or Netlify
do); zips and other binary files go as they are. Without `encodings` every file goes as it is.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gzip
import io
import os
import threading
import time
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

SUFFIXES = {"br": ".br", "gzip": ".gz"}
"""Content-Encoding -> the suffix of a precompressed sibling."""
COMPRESSED_ON_THE_FLY = ("text/", "application/javascript", "application/json", "application/wasm",
                         "image/svg+xml", "application/xml")
"""Content types a static host gzips when no precompressed file is there."""


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, modified: float) -> bytes:
    """A file gzipped as a host does on the fly (level 6), kept while it is unchanged."""
    with open(path, "rb") as file:
        return gzip.compress(file.read(), compresslevel=6, mtime=0)


def accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (q=0 excluded)."""
    accepted = set()
    for part in header.split(","):
        name, _, parameters = part.strip().partition(";")
        if name and parameters.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip().lower())
    return accepted


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


class _CountingWriter(io.RawIOBase):
    """The connection's output, counting what is written."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        written = self.raw.write(data)
        self.count += len(data) if written is None else written
        return len(data) if written is None else written

    def flush(self) -> None:
        self.raw.flush()


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves files as a static host does: its 404.html for unknown addresses, the cache
    headers of its `_headers` file, and compression when asked (see the module)."""

    def __init__(self, *args, header_rules: HeaderRules, encodings: tuple[str, ...] = (),
                 sent: list[dict] | None = None, **kwargs) -> None:
        self.header_rules = header_rules
        """The site's `_headers` rules, read once when serving starts."""
        self.encodings = encodings
        """Content-Encodings offered, in the server's order of preference ('br', 'gzip')."""
        self.sent = sent
        """When a list: one entry per response (path, encoding, bytes on the wire, start)."""
        self.encoding = ""
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def handle_one_request(self) -> None:
        started = time.time()
        before = self.wfile.count
        self.encoding = ""
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the browser went away (a closed page): nothing to serve
        if self.sent is not None and getattr(self, "command", None):
            self.sent.append({"path": self.path, "encoding": self.encoding, "bytes": self.wfile.count - before,
                              "started": started, "finished": time.time()})

    def send_head(self):
        encoded = self._encoded() if self.encodings and self.command in ("GET", "HEAD") else None
        if encoded is None:
            return super().send_head()
        body, content_type = encoded
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", self.encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def _encoded(self) -> tuple[bytes, str] | None:
        """The body and type to send compressed, or None to send the file as it is."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return None  # the base class redirects to the address with a slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        content_type = self.guess_type(path)
        for encoding in self.encodings:
            if encoding not in accepted:
                continue
            sibling = path + SUFFIXES[encoding]
            if os.path.isfile(sibling):
                self.encoding = encoding
                return Path(sibling).read_bytes(), content_type
            if encoding == "gzip" and content_type.startswith(COMPRESSED_ON_THE_FLY):
                self.encoding = encoding
                return _gzipped(path, os.path.getmtime(path)), content_type
        return None

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
def serve(directory: Path, *, encodings: tuple[str, ...] = (), sent: list[dict] | None = None, port: int = 0):
    """Serve `directory` on `port` (by default a free one) of 127.0.0.1 as a static host would;
    yields the base URL.
    `encodings`: the Content-Encodings to offer, in order of preference (e.g. ("br", "gzip"));
    `sent`: a list to which every response's size on the wire is appended."""
    handler = functools.partial(StaticHostHandler, directory=str(directory),
                                header_rules=read_header_rules(Path(directory)), encodings=encodings, sent=sent)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
