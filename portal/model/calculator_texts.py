"""The fee calculator's own patient-facing texts, for the same glossary check as the content.

Besides content/, three things speak to patients on the calculator's behalf: the package's
sentences and names (calculators/patientavgift/*.py), the name the data gives the national clinic
(site.yml's, compiled into the fee data), and the calculator page's templates. The sentences are
read from the package's source, every string literal that is not a docstring (an f-string's slots
become '…'), so a rule that is reworded or added is checked without a list to keep up to date.
The name tables are read as they are when the check runs, and located at their definition.
"""

from __future__ import annotations

import ast
import functools
import re
import threading
from pathlib import Path

import patientavgift
from patientavgift import data as names

from .content import Content
from .language import UserText

REPOSITORY = Path(__file__).resolve().parents[2]
"""The checkout that holds portal/ and calculators/: code and templates are named from there,
whichever content is checked."""
PACKAGE_DIR = Path(patientavgift.__file__).resolve().parent
"""The calculator package. Its subpackage `source/` speaks to editors, not patients (and its
messages are check's own), so only the modules directly in the package are read."""
NAME_TABLES = (
    "PROVIDER_NAMES", "PROFESSION_NAMES", "CONTACT_NAMES", "STATUSES", "STATUS_REMARKS", "VALID_FROM_BASES",
    "OLD_REMARK",
)
"""The names and phrases of `patientavgift.data` that the rules put into sentences."""
TEMPLATES = (
    Path(__file__).resolve().parent.parent / "theme" / "kalkylator.html",
    Path(__file__).resolve().parent.parent / "theme" / "partials" / "kalk_fields.html",
)
"""The calculator page's templates, whose visible words patients read around the answers."""
SLOT = "…"
"""What an f-string's slot reads as: no word, so no phrase is found across it."""


def calculator_texts(content: Content) -> list[UserText]:
    """Every text of the calculator a patient may read: the package's sentences, its name
    tables, the national clinic's name from the data, and the page's visible words."""
    texts = package_texts() + name_table_texts()
    if "national_clinic_name" in content.fees.document:  # else the default, in PROVIDER_NAMES
        part = content.site.get("national_clinic")
        line = part.line_of("name") if hasattr(part, "line_of") else 1
        texts.append(UserText("content/site.yml", line, "national_clinic.name",
                              content.fees.tables.national_clinic_name, typed=False))
    for path in TEMPLATES:
        if path.is_file():
            texts.append(UserText(_shown(path), 1, "-", visible_template_text(
                path.read_text(encoding="utf-8")), typed=False))
    return texts


def package_modules() -> list[Path]:
    """The package's own modules (what the browser's wheel carries; not source/)."""
    return sorted(PACKAGE_DIR.glob("*.py"))


def package_texts() -> list[UserText]:
    """The string literals of the package's modules, docstrings and name tables left out."""
    texts: list[UserText] = []
    for path in package_modules():
        stat = path.stat()
        texts += _module_texts(path, stat.st_mtime_ns, stat.st_size)
    return texts


_PARSING = threading.Lock()
"""CPython 3.11's parser is not safe to run in several threads at once (it fails with "AST
constructor recursion depth mismatch"), and the tests run check in threads."""


@functools.lru_cache(maxsize=64)
def _module_texts(path: Path, mtime_ns: int, size: int) -> tuple[UserText, ...]:
    """One module's texts, parsed once per version of the file (a serve that runs for hours
    sees an edited rule; a test suite that checks hundreds of times parses once)."""
    texts: list[UserText] = []
    _Strings(_shown(path), texts).visit(_parse(path))
    return tuple(texts)


def name_table_texts() -> list[UserText]:
    """Each entry of the name tables as the package holds it now, at the table's definition."""
    path = Path(names.__file__).resolve()
    lines = dict(_definition_lines(path, path.stat().st_mtime_ns))
    texts = []
    for table in NAME_TABLES:
        value = getattr(names, table)
        entries = value.items() if isinstance(value, dict) else [(None, value)]
        for key, text in entries:
            field = table if key is None else f"{table}[{key}]"
            texts.append(UserText(_shown(path), lines.get(table, 1), field, str(text), typed=False))
    return texts


@functools.lru_cache(maxsize=4)
def _definition_lines(path: Path, mtime_ns: int) -> tuple[tuple[str, int], ...]:
    """(name, line) of each name a module assigns at its top level."""
    return tuple(
        (target.id, node.lineno)
        for node in _parse(path).body if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(target, ast.Name)
    )


def _parse(path: Path) -> ast.Module:
    with _PARSING:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


class _Strings(ast.NodeVisitor):
    """Collects the string literals of one module: whole f-strings, no docstrings, and none of
    the name tables (name_table_texts reads those as they are at run time)."""

    def __init__(self, file: str, texts: list[UserText]) -> None:
        self.file = file
        """The module's path as messages show it."""
        self.texts = texts
        """Where each text found is added."""
        self.where: list[str] = []
        """The functions and classes the visitor is inside, outermost first (the field)."""

    def _scope(self, node) -> None:
        self.where.append(node.name)
        self.generic_visit(node)
        self.where.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring (of a module, class, function or attribute): for developers
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(target, ast.Name) and target.id in NAME_TABLES for target in node.targets):
            return
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(part.value if isinstance(part, ast.Constant) else SLOT for part in node.values)
        self._add(node, text)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._add(node, node.value)

    def _add(self, node: ast.AST, text: str) -> None:
        if any(character.isalpha() for character in text):
            self.texts.append(UserText(self.file, node.lineno, ".".join(self.where) or "-", text, typed=False))


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_JINJA_STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")
_NOT_SHOWN = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SHOWN_ATTRIBUTE = re.compile(r"""\b(?:alt|title|aria-label|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def visible_template_text(source: str) -> str:
    """The words a template shows, every other character blanked and every line kept, so an
    offset in the result is the same place in the file. Jinja comments, scripts and styles go;
    of Jinja code only its string literals stay (a macro's label is one); of a tag, only the
    attributes read out (alt, title, aria-label, placeholder)."""
    text = _JINJA_COMMENT.sub(_blank, source)
    text = _NOT_SHOWN.sub(_blank, text)
    text = _JINJA_CODE.sub(lambda match: _keeping(_JINJA_STRING, match), text)
    return _TAG.sub(lambda match: _keeping(_SHOWN_ATTRIBUTE, match), text)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _keeping(pattern: re.Pattern, match: re.Match) -> str:
    """The match blanked, but for the text of `pattern`'s groups inside it."""
    kept = list(_blank(match))
    for inner in pattern.finditer(match.group(0)):
        for group in range(1, pattern.groups + 1):
            if inner.group(group) is not None:
                kept[inner.start(group):inner.end(group)] = inner.group(group)
    return "".join(kept)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(REPOSITORY).as_posix()
    except ValueError:
        return path.as_posix()
