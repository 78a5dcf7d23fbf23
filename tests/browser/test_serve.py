"""`python3 build.py serve` for editors: saving a YAML file rebuilds the site and reloads the page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ..conftest import make_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path):
    """mkdocs serve (as build.py serve runs it) on a copy of the content, on a free port."""
    make_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("mkdocs serve startade inte:\n" + server.stdout.read())
            time.sleep(0.3)
    yield tmp_path, url
    server.terminate()
    server.wait(timeout=10)


def test_saving_yaml_rebuilds_and_reloads_the_browser(dev_server, page):
    root, url = dev_server
    page.goto(url + "fragor/lista-dig/")
    old_question = page.inner_text("h1").strip()
    faq = root / "content" / "faq" / "listning.yml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(old_question, "Hur väljer jag vårdcentral?", 1),
                   encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').innerText.trim() === 'Hur väljer jag vårdcentral?'",
                           timeout=30000)


def test_a_broken_save_keeps_the_server_running(dev_server, page):
    root, url = dev_server
    page.goto(url + "fragor/lista-dig/")
    faq = root / "content" / "faq" / "listning.yml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text(good.replace("reviewed: 2026-11-25", "reviewed: 2026-02-30", 1), encoding="utf-8")
    time.sleep(3)  # mkdocs reports the error and holds requests until the content is fixed
    faq.write_text(good.replace("reviewed: 2026-11-25", "reviewed: 2026-11-24", 1), encoding="utf-8")
    page.wait_for_function("document.querySelector('.portal-reviewed time').dateTime === '2026-11-24'",
                           timeout=30000)
