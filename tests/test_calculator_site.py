"""What the build ships for the calculator page, checked on the built site from the test
content: the standard library split in two without losing a module, the precompressed copies,
the ordinary-fee table the page shows before Python, and a local server that negotiates
compression as static hosts do."""

from __future__ import annotations

import datetime
import gzip
import json
import re
import shutil
import subprocess
import urllib.request
import zipfile

import pytest

from patientavgift import FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.rules import Visit, calculate
from patientavgift.source import compile_fees
from portal.localsite import accepted_encodings, serve
from portal.calculator_build.ordinary_fees import OVERVIEW_AGE, change_dates

from .conftest import FIXTURES, ROOT


def pyodide_folder(site):
    return next((site / "assets" / "pyodide").iterdir())


def module_name(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def test_standard_library_is_split_without_losing_a_module(fixture_site):
    folder = pyodide_folder(fixture_site)
    shipped = [path.name for path in folder.glob("python_stdlib*.zip")]
    assert len(shipped) == 2 and "python_stdlib.zip" not in shipped, shipped
    first = next(folder.glob("python_stdlib.*.zip"))
    rest = next(folder.glob("python_stdlib_rest.*.zip"))
    with zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as stock:
        stock_modules = {name for name in stock.namelist() if name.endswith(".py")}
    with zipfile.ZipFile(first) as core, zipfile.ZipFile(rest) as second:
        compiled = {name.removesuffix("c") for name in core.namelist() if name.endswith(".pyc")}
        sources = {name for name in second.namelist() if name.endswith(".py")}
        listed = set(core.read("_portal_stdlib_fallback.txt").decode().split())
        flags = {int.from_bytes(core.read(name)[4:8], "little") for name in core.namelist() if name.endswith(".pyc")}
    assert compiled & sources == set(), "a module in both zips"
    assert stock_modules == (compiled - {"_portal_stdlib_fallback.py"}) | sources
    assert listed == {module_name(name) for name in sources}, "the fallback knows every module of the second zip"
    for start_up in ("encodings/__init__.py", "json/__init__.py", "dataclasses.py", "datetime.py", "pyodide/__init__.py"):
        assert start_up in compiled, start_up
    assert flags == {1}, "unchecked-hash .pyc"
    assert first.stat().st_size < 1_000_000 < rest.stat().st_size


def test_runtime_files_have_precompressed_copies_and_no_lock_file(fixture_site):
    folder = pyodide_folder(fixture_site)
    assert not (folder / "pyodide-lock.json").exists(), "the worker passes the lock file's contents"
    node = shutil.which("node")
    for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs"):
        original = (folder / name).read_bytes()
        assert gzip.decompress((folder / f"{name}.gz").read_bytes()) == original, name
        brotli = folder / f"{name}.br"
        assert brotli.stat().st_size < (folder / f"{name}.gz").stat().st_size
        decoded = subprocess.run(
            [node, "-e", "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(process.argv[1])))",
             str(brotli)], capture_output=True, check=True).stdout
        assert decoded == original, name


def page_data(site) -> tuple[dict, str]:
    html = (site / "kalkylator" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="kalk-avgifter">(.*?)</script>', html, re.S)
    return json.loads(block.group(1)), html


def test_ordinary_fees_on_the_page_are_the_rules_answers(fixture_site):
    """Every cell is the rules' answer on the first and on the last day of each range."""
    tables = FeeTables.from_dict(compile_fees(FIXTURES))
    table, html = page_data(fixture_site)
    starts = [datetime.date.fromisoformat(day) for day in table["dates"]]
    assert starts == sorted(starts) and set(change_dates(tables)) <= set(starts)
    ends = [following - datetime.timedelta(days=1) for following in starts[1:]] + [starts[-1] + datetime.timedelta(days=400)]
    assert set(table["fees"]) == set(tables.regions)
    checked = 0
    for region, providers in table["fees"].items():
        for provider, professions in providers.items():
            for profession, contacts in professions.items():
                for contact, cell in contacts.items():
                    row = cell if isinstance(cell, list) else [cell] * len(starts)
                    for first, last, shown in zip(starts, ends, row):
                        for day in (first, last):
                            visit = Visit(region=region, date=day, provider=provider, profession=profession,
                                          contact=contact, age=OVERVIEW_AGE)
                            try:
                                expected = calculate(tables, visit).fee
                            except CalculatorError:
                                expected = None
                            assert shown == expected, (region, provider, profession, contact, day)
                            checked += 1
                        if shown is not None:
                            assert table["kronor"][str(shown)].endswith("\u00a0kr")
    assert checked > 10_000
    assert '"packages": {}' in html and '"abi_version"' in html, "Pyodide gets the lock's info, no packages"


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
    ("br;q=0, gzip;q=0.5", {"gzip"}),
    ("", set()),
])
def test_accept_encoding_is_read_as_hosts_read_it(header, expected):
    assert accepted_encodings(header) == expected


def test_local_server_negotiates_compression_as_static_hosts_do(fixture_site):
    folder = pyodide_folder(fixture_site).relative_to(fixture_site).as_posix()
    stdlib = next(pyodide_folder(fixture_site).glob("python_stdlib.*.zip")).name

    def get(base, path, accept):
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": accept} if accept else {})
        with urllib.request.urlopen(request) as response:
            return response.headers.get("Content-Encoding"), response.headers.get("Vary"), len(response.read())

    sent: list[dict] = []
    with serve(fixture_site, encodings=("br", "gzip"), sent=sent) as base:
        wasm = f"{folder}/pyodide.asm.wasm"
        assert get(base, wasm, "gzip, br")[:2] == ("br", "Accept-Encoding")
        assert get(base, wasm, "gzip")[0] == "gzip"
        assert get(base, wasm, "")[0] is None
        assert get(base, "kalkylator/", "gzip, br")[0] == "gzip", "no .br beside it: gzip made on the fly"
        assert get(base, f"{folder}/{stdlib}", "gzip, br")[0] is None, "a zip goes as it is"
    assert [entry["encoding"] for entry in sent] == ["br", "gzip", "", "gzip", ""]
    assert all(entry["bytes"] > 0 for entry in sent)
    with serve(fixture_site) as base:
        assert get(base, wasm, "gzip, br")[0] is None, "without encodings, every file goes as it is"
