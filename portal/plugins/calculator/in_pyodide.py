"""Runs inside Pyodide under Node at build time (started by precompile.mjs; see precompile.py).

Pyodide ships its standard library as source, so every browser compiles the ~130 modules that
Python's start and the calculator import, on every cold start: two thirds of Pyodide's start
time on this machine. Here the same Python 3.14 that runs in the browser compiles them once:

- the standard library modules that start-up, `import patientavgift.browser` and a calculation
  load are replaced by their bytecode in a copy of the standard library zip; every other
  module stays as source, so a module missing from that list is only slower, never absent;
- the calculator's modules get their `__pycache__/*.cpython-314.pyc` added to its wheel.

The bytecode is "unchecked-hash" (PEP 552): Python loads it without comparing it with a
source or a timestamp, which the standard library zip and the unpacked wheel could not offer.

Globals set by precompile.mjs, which has unpacked the wheel: STDLIB_IN, WHEEL_IN, STDLIB_OUT and
WHEEL_OUT (paths in the mounted build folders).
"""

# Only modules the calculator imports too: what this script loads for its own work must not
# count as in use, so the rest is imported after the modules in use are known.
import datetime
import json
import sys

ZIP_ON_PATH = next(entry for entry in sys.path if entry.endswith(".zip")) + "/"


def stdlib_modules_in_use() -> set[str]:
    """Names inside the standard library zip of every module loaded so far."""
    import patientavgift.browser as browser
    from patientavgift.data import CONTACTS, PROFESSIONS, PROVIDERS

    today = datetime.date.today().isoformat()
    visit = {"provider": PROVIDERS[0], "profession": PROFESSIONS[0], "contact": CONTACTS[0], "paid": "100"}
    answers = [json.loads(browser.calculate_json(json.dumps({**visit, "region": region, "age": "40"}), today))
               for region in browser.tables().regions]
    if all("error" in answer for answer in answers):
        raise SystemExit(f"No region gave an answer to {visit}: {answers[0]}")
    browser.calculate_json(json.dumps({**visit, "age": "-1"}), today)  # a refusal
    browser.calculate_json("{", today)  # unreadable input
    names = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if origin.startswith(ZIP_ON_PATH) and origin.endswith(".py"):
            names.add(origin.removeprefix(ZIP_ON_PATH))
    return names


IN_USE = stdlib_modules_in_use()

import base64  # noqa: E402 - see the note at the first imports
import compileall  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import py_compile  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402

UNCHECKED = py_compile.PycInvalidationMode.UNCHECKED_HASH


def bytecode(source: bytes, shown_path: str) -> bytes:
    """`source` compiled to an unchecked-hash .pyc whose tracebacks name `shown_path`."""
    with tempfile.TemporaryDirectory() as folder:
        source_path, pyc_path = os.path.join(folder, "module.py"), os.path.join(folder, "module.pyc")
        with open(source_path, "wb") as file:
            file.write(source)
        py_compile.compile(source_path, pyc_path, dfile=shown_path, doraise=True, invalidation_mode=UNCHECKED)
        with open(pyc_path, "rb") as file:
            return file.read()


def write_stdlib(names: set[str]) -> int:
    """The standard library zip with `names` as bytecode (zipimport prefers name.pyc)."""
    with zipfile.ZipFile(STDLIB_IN) as source, zipfile.ZipFile(STDLIB_OUT, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in names:
                compiled = zipfile.ZipInfo(info.filename + "c", info.date_time)
                compiled.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(compiled, bytecode(data, ZIP_ON_PATH + info.filename))
            else:
                target.writestr(info, data)
    return len(names)


def record_line(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, f"sha256={digest}", str(len(data))]


def write_wheel() -> int:
    """The calculator wheel with its modules' bytecode added (and listed in RECORD)."""
    import patientavgift

    package = os.path.dirname(patientavgift.__file__)
    compileall.compile_dir(package, quiet=1, invalidation_mode=UNCHECKED, force=True)
    cache = os.path.join(package, "__pycache__")
    added = {}
    for name in sorted(os.listdir(cache)):
        with open(os.path.join(cache, name), "rb") as file:
            added[f"patientavgift/__pycache__/{name}"] = file.read()
    with zipfile.ZipFile(WHEEL_IN) as source, zipfile.ZipFile(WHEEL_OUT, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                for name, content in added.items():  # before RECORD, which comes last by convention
                    target.writestr(zipfile.ZipInfo(name, info.date_time), content, zipfile.ZIP_DEFLATED)
                rows = [row for row in csv.reader(io.StringIO(data.decode())) if row]
                own = next(index for index, row in enumerate(rows) if row[0] == info.filename)
                rows[own:own] = [record_line(name, content) for name, content in added.items()]
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(rows)
                data = text.getvalue().encode()
            target.writestr(info, data)
    return len(added)


json.dumps({"stdlib_modules": write_stdlib(IN_USE), "package_modules": write_wheel()})
