"""Runs inside Pyodide under Node at build time (started by precompile.mjs; see precompile.py).

Pyodide ships its standard library as one zip of source, 2.5 MB, and every browser compiles
the ~130 modules that Python's start and the calculator import on every cold start: two
thirds of Pyodide's start time on this machine. Here the same Python 3.14 that runs in the
browser splits and compiles it:

- the modules that start-up, `import patientavgift.browser` and a calculation load go, as
  bytecode, into the first zip, the only one a visit downloads (a third of the stock zip's
  size);
- every other module goes, as source, into a second zip, which the browser fetches only if an
  import needs one of them (stdlib_fallback.py, compiled into the first zip with the list of
  the second zip's modules), so a module missing from the first is slower, never absent;
- the calculator's modules get their `__pycache__/*.cpython-314.pyc` added to its wheel.

The bytecode is "unchecked-hash" (PEP 552): Python loads it without comparing it with a
source or a timestamp, which a zip and an unpacked wheel could not offer. Two things are left
out of the first zip's bytecode to make it smaller (1.02 MB -> 0.86 MB; docs/performance.md):
- column positions (PYTHONNODEBUGRANGES, set by precompile.mjs: CPython's option for smaller
  code objects): tracebacks keep their line numbers and lose only the ^^^ under the failing
  expression;
- the standard library's docstrings (as -OO leaves them out, but asserts stay): `__doc__` is
  None, which only help() and pydoc read. Pyodide's own modules keep theirs. Start-up time is
  the same (measured in Node).
The calculator's own bytecode keeps its docstrings.

Globals set by precompile.mjs, which has unpacked the wheel: STDLIB_IN, WHEEL_IN, FALLBACK_IN,
STDLIB_OUT, REST_OUT and WHEEL_OUT (paths in the mounted build folders).
"""

# Only modules the calculator imports too: what this script loads for its own work must not
# count as in use, so the rest is imported after the modules in use are known.
import datetime
import json
import sys

ZIP_ON_PATH = next(entry for entry in sys.path if entry.endswith(".zip")) + "/"
FALLBACK_MODULE = "_portal_stdlib_fallback"
"""stdlib_fallback.py's name in the first zip; the worker imports it by this name."""


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

import ast  # noqa: E402 - see the note at the first imports
import base64  # noqa: E402
import compileall  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import marshal  # noqa: E402
import os  # noqa: E402
import py_compile  # noqa: E402
import zipfile  # noqa: E402

UNCHECKED = py_compile.PycInvalidationMode.UNCHECKED_HASH
DEFLATE = {"compress_type": zipfile.ZIP_DEFLATED, "compresslevel": 9}
KEEP_DOCSTRINGS = ("_pyodide/", "pyodide/")
"""Pyodide's own modules keep their docstrings: they become the help of its JavaScript types."""

if next(compile("x", "<check>", "eval").co_positions())[2] is not None:
    raise SystemExit("Column positions are still compiled: PYTHONNODEBUGRANGES did not reach Python.")


def without_docstrings(source: bytes, shown_path: str) -> ast.Module:
    """The module's syntax tree with the docstrings of the module, its classes and functions
    removed (what -OO removes, but asserts stay)."""
    tree = ast.parse(source, shown_path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.copy_location(ast.Pass(), first)]
    return tree


def bytecode(source: bytes, shown_path: str, docstrings: bool = True) -> bytes:
    """`source` compiled to an unchecked-hash .pyc (as py_compile writes one) whose tracebacks
    name `shown_path`."""
    code = compile(source if docstrings else without_docstrings(source, shown_path), shown_path, "exec",
                   dont_inherit=True)
    return importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little") + importlib.util.source_hash(source) \
        + marshal.dumps(code)


def module_name(path: str) -> str:
    """'json/tool.py' -> 'json.tool', 'email/__init__.py' -> 'email'."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def write_stdlib(in_use: set[str]) -> tuple[int, int]:
    """The first zip (`in_use` as bytecode, and the fallback) and the second (everything
    else, as shipped). The first zip's entries stay deflated, so it is small on every host,
    also on those that do not compress zip files."""
    rest_modules = []
    with zipfile.ZipFile(STDLIB_IN) as source, \
            zipfile.ZipFile(STDLIB_OUT, "w") as first, zipfile.ZipFile(REST_OUT, "w") as rest:
        for info in source.infolist():
            if info.is_dir():
                continue  # zipimport finds packages by their files
            data = source.read(info)
            if info.filename in in_use:
                first.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time),
                               bytecode(data, ZIP_ON_PATH + info.filename, info.filename.startswith(KEEP_DOCSTRINGS)),
                               **DEFLATE)
            else:
                rest.writestr(zipfile.ZipInfo(info.filename, info.date_time), data, **DEFLATE)
                if info.filename.endswith(".py"):
                    rest_modules.append(module_name(info.filename))
        date_time = source.infolist()[0].date_time
        with open(FALLBACK_IN, "rb") as file:
            first.writestr(zipfile.ZipInfo(f"{FALLBACK_MODULE}.pyc", date_time),
                           bytecode(file.read(), f"{ZIP_ON_PATH}{FALLBACK_MODULE}.py"), **DEFLATE)
        first.writestr(zipfile.ZipInfo(f"{FALLBACK_MODULE}.txt", date_time),
                       "\n".join(sorted(rest_modules)) + "\n", **DEFLATE)
    return len(in_use), len(rest_modules)


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
    with zipfile.ZipFile(WHEEL_IN) as source, zipfile.ZipFile(WHEEL_OUT, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                for name, content in added.items():  # before RECORD, which comes last by convention
                    target.writestr(zipfile.ZipInfo(name, info.date_time), content, **DEFLATE)
                rows = [row for row in csv.reader(io.StringIO(data.decode())) if row]
                own = next(index for index, row in enumerate(rows) if row[0] == info.filename)
                rows[own:own] = [record_line(name, content) for name, content in added.items()]
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(rows)
                data = text.getvalue().encode()
            target.writestr(info, data, **DEFLATE)
    return len(added)


stdlib_modules, rest_modules = write_stdlib(IN_USE)
json.dumps({"stdlib_modules": stdlib_modules, "rest_modules": rest_modules, "package_modules": write_wheel()})
