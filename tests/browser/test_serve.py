"""`python3 build.py serve` for editors: saving a YAML file rebuilds the site and reloads the page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest
from playwright.sync_api import expect

from ..conftest import make_fixture_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerLog:
    """What the server prints, read as it comes, so a test waits for a line instead of sleeping."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(server,), daemon=True)
        self._reader.start()

    def _read(self, server: subprocess.Popen) -> None:
        for line in server.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.lines.append("")  # end of output: the server has stopped
            self._changed.notify_all()

    def wait_for(self, text: str, start: int = 0, timeout: float = 60) -> int:
        """Wait until a line from `start` on contains `text`; return the index after it."""
        with self._changed:
            def found():
                return next((index + 1 for index in range(start, len(self.lines)) if text in self.lines[index]), None)
            if not self._changed.wait_for(lambda: found() or (self.lines and self.lines[-1] == ""), timeout):
                pytest.fail(f"väntade på '{text}' från serve:\n" + "".join(self.lines))
            if found() is None:
                pytest.fail(f"serve slutade innan '{text}':\n" + "".join(self.lines))
            return found()


@pytest.fixture
def dev_server(tmp_path):
    """`python3 build.py serve` (the command it runs) on a copy of the test content, on a free port."""
    make_fixture_project(tmp_path)
    yield from start_server(tmp_path)


def start_server(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
        cwd=tmp_path, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log = ServerLog(server)
    try:
        log.wait_for("Webbplatsen visas på")
        yield tmp_path, f"http://127.0.0.1:{port}/", log
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_saving_yaml_rebuilds_and_reloads_the_browser(dev_server, page):
    root, url, _ = dev_server
    page.goto(url + "fragor/valja-vardcentral/")
    old_question = page.inner_text("h1").strip()
    faq = root / "content" / "faq" / "listning.yml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(old_question, "Hur väljer jag vårdcentral?", 1),
                   encoding="utf-8")
    # expect(), not wait_for_function: the served pages keep their Content-Security-Policy,
    # which forbids the eval that a function given as text needs.
    expect(page.locator("h1")).to_have_text("Hur väljer jag vårdcentral?", timeout=30000)


def test_a_broken_save_keeps_the_server_running(dev_server, page):
    root, url, log = dev_server
    page.goto(url + "fragor/valja-vardcentral/")
    faq = root / "content" / "faq" / "listning.yml"
    good = faq.read_text(encoding="utf-8")
    seen = len(log.lines)
    faq.write_text(good.replace("reviewed: 2026-11-25", "reviewed: 2026-02-30", 1), encoding="utf-8")
    log.wait_for("'2026-02-30' är inget giltigt datum", start=seen)
    faq.write_text(good.replace("reviewed: 2026-11-25", "reviewed: 2026-11-24", 1), encoding="utf-8")
    expect(page.locator(".portal-reviewed time")).to_have_attribute("datetime", "2026-11-24", timeout=30000)


def test_a_server_started_on_broken_content_says_where_the_errors_are(tmp_path, page):
    faq = make_fixture_project(tmp_path) / "content" / "faq" / "listning.yml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text(good.replace("reviewed: 2026-11-25", "reviewed: 2026-02-30", 1), encoding="utf-8")
    server = start_server(tmp_path)
    root, url, log = next(server)
    try:
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Webbplatsen kunde inte byggas")
        assert "'2026-02-30' är inget giltigt datum" in "".join(log.lines)
        faq.write_text(good, encoding="utf-8")
        expect(page.locator("h1")).not_to_have_text("Webbplatsen kunde inte byggas", timeout=30000)
        assert page.locator(".portal-categories").count() == 1
    finally:
        server.close()
