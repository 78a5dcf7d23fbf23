"""Safe by construction: every string in content/ reaches the published site only as text.

The string locations come from the JSON Schemas (portal/schemas/ and the fee schemas in
calculators/patientavgift/source/schemas/), never from a list in this file, so a field added to
a schema is attacked without touching the test. For each payload
form, a copy of the live content gets the payload (with a marker naming the location) in every
string location at once, including optional fields the content leaves out. `check` may refuse
a payload, but must say so at that field's file and line; everything it accepts is built with
the real build (MkDocs, the default engine), and every page, the search index, the JSON files and the sitemap are
parsed for markers in places a browser would execute (tests/executable.py).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml

from portal.engines import ENGINES

from .conftest import ROOT, build_site, make_project, run_check
from .executable import Finding, find_in_html, published_markers, quoted_markers, scan_site

SCHEMA_DIRS = (ROOT / "portal" / "schemas", ROOT / "calculators" / "patientavgift" / "source" / "schemas")
"""The portal's schemas and the calculator's fee schemas: every content file is under one of them."""
MAX_CHECK_ROUNDS = 6
"""Refusals can hide each other (answers are not checked while site.yml has a problem), so
check runs again after each restore; each round restores at least one location."""


# --- Payloads ------------------------------------------------------------------------------

def _data_url(number: int) -> str:
    document = base64.b64encode(f"<script>mark({number})</script>".encode()).decode()
    return f"[a](data:text/html;base64,{document})"


FORMS: dict[str, Callable[[int], str]] = {
    "script tag": lambda n: f"<script>mark({n})</script>",
    "img onerror": lambda n: f"<img src=x onerror=mark({n})>",
    "entity img": lambda n: f"&lt;img src=x onerror=mark({n})&gt;",
    "numeric entity script": lambda n: f"&#60;script&#62;mark({n})&#60;/script&#62;",
    "double-quote breakout": lambda n: f'" onmouseover="mark({n})" x="',
    "single-quote breakout": lambda n: f"' onmouseover='mark({n})' x='",
    # Entities that decode to a quote: text that is unescaped once and then put in an attribute.
    "entity quote breakout": lambda n: f"&quot; onmouseover=&quot;mark({n})&quot; x=&quot;",
    "context breakout": lambda n: f"</title></textarea></script><img src=x onerror=mark({n})>",
    "javascript URL": lambda n: f"javascript:mark({n})",
    "markdown link": lambda n: f"[a](javascript:mark({n}))",
    "markdown link, mixed case": lambda n: f"[a](JaVaScRiPt:mark({n}))",
    "markdown link, angle brackets": lambda n: f"[a](<javascript:mark({n})>)",
    "markdown link, entity": lambda n: f"[a](java&#115;cript:mark({n}))",
    "markdown reference link": lambda n: f"[a][r]\n\n[r]: javascript:mark({n})",
    "autolink": lambda n: f"<javascript:mark({n})>",
    "markdown image": lambda n: f"![a](javascript:mark({n}))",
    "data URL": _data_url,
    "vbscript link": lambda n: f"[a](vbscript:mark({n}))",
}


def payload(form: str, number: int, original: Any) -> str:
    """The form's payload for location `number`. A template (an answer with {{ … }}) keeps its
    text after the payload, so that the variables and fraga() links it uses still carry the
    other locations' payloads into it; the payload goes first, where the page description is."""
    text = FORMS[form](number)
    if isinstance(original, str) and ("{{" in original or "{%" in original):
        return text + "\n\n" + original
    return text


# --- Schemas: every location that may hold a string -------------------------------------------

ITEM, ANY_KEY, KEY = "[]", "*", "{key}"
"""Schema path segments: a list item, a value under any key, and the key itself."""


def _resolve(schema: dict, root: dict) -> dict:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema:
        reference = schema["$ref"]
        assert reference.startswith("#/"), f"only local $ref is supported: {reference}"
        target: Any = root
        for part in reference[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        schema = {**target, **rest}
        seen += 1
        assert seen < 50, f"$ref loop at {reference}"
    return schema


def options(schema: dict, root: dict) -> list[dict]:
    """The schema and every alternative it allows at the same place (anyOf, oneOf, allOf, …)."""
    schema = _resolve(schema, root)
    found = [schema]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(keyword, []):
            found += options(option, root)
    for keyword in ("then", "else"):
        if isinstance(schema.get(keyword), dict):
            found += options(schema[keyword], root)
    return found


_SHAPES = {"properties", "additionalProperties", "patternProperties", "required", "items", "prefixItems",
           "anyOf", "oneOf", "allOf", "not", "then", "else"}
"""Keywords that say what an untyped schema is made of (else it accepts anything, text too)."""


def allows_string(schema: dict) -> bool:
    kind = schema.get("type")
    if kind == "string" or (isinstance(kind, list) and "string" in kind):
        return True
    if kind is not None:
        return False
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", []) + ([schema["const"]] if "const" in schema else [])
        return any(isinstance(value, str) for value in values)
    return not _SHAPES & set(schema)


def _children(schema: dict) -> Iterator[tuple[str, dict]]:
    """(path segment, schema) of every place below `schema`."""
    for name, sub in schema.get("properties", {}).items():
        yield name, sub
    items = schema.get("items")
    if isinstance(items, dict):
        yield ITEM, items
    elif isinstance(items, list):  # draft-07 tuples
        for index, sub in enumerate(items):
            yield f"[{index}]", sub
    for index, sub in enumerate(schema.get("prefixItems", [])):
        yield f"[{index}]", sub
    if isinstance(schema.get("additionalProperties"), dict):
        yield KEY, {"type": "string"}
        yield ANY_KEY, schema["additionalProperties"]
    for pattern, sub in schema.get("patternProperties", {}).items():
        yield KEY, {"type": "string"}
        yield f"~{pattern}", sub


def string_paths(schema: dict, root: dict | None = None, path: tuple[str, ...] = (), depth: int = 0) -> set[tuple[str, ...]]:
    """Every schema path at which content may hold a string (map keys included)."""
    root = root if root is not None else schema
    assert depth < 30, f"schema nests too deep at {'.'.join(path)} (recursive $ref?)"
    found: set[tuple[str, ...]] = set()
    for option in options(schema, root):
        if allows_string(option):
            found.add(path)
        for segment, sub in _children(option):
            found |= string_paths(sub, root, path + (segment,), depth + 1)
    return found


def show_path(path: tuple) -> str:
    text = ""
    for segment in path:
        if isinstance(segment, int) or (isinstance(segment, str) and segment.startswith("[")):
            text += f"[{segment}]" if isinstance(segment, int) else segment
        else:
            text += ("." if text else "") + str(segment)
    return text or "(root)"


def load_schemas() -> dict[str, dict]:
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
            for folder in SCHEMA_DIRS for path in sorted(folder.glob("*.schema.json"))}


def schema_for(relative: str) -> str:
    """The schema of a content file, as portal/model/content.py and patientavgift/source/fees.py choose it."""
    if relative == "content/site.yml":
        return "site"
    if relative == "content/categories.yml":
        return "categories"
    if relative == "content/ordlista.yml":
        return "ordlista"
    if relative == "content/synonymer.yml":
        return "synonymer"
    if relative.startswith("content/faq/"):
        return "faq"
    if relative.startswith("content/fees/regioner/"):
        return "fee-region"
    if relative == "content/fees/nationell.yml":
        return "fee-national-clinic"
    if relative.startswith("content/fees/"):
        return "fee-parameter"
    raise AssertionError(f"{relative}: no schema known for this content file; teach schema_for() about it")


# --- Content: every string location of every file ----------------------------------------------

class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # LibYAML when there: ~1000 locations a round
    """Dates stay text, as the portal reads them, so that they can be replaced like text."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Multi-line text as a literal block: the line of each of its lines is then the line the
    portal counts (`answer_line + offset`), as in a file an editor wrote."""


def _represent_text(dumper, text: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)


@dataclass
class Location:
    """One place in one content file where a string may be."""

    number: int
    """The N of mark(N)."""
    file: str
    """The content file, relative to the project root."""
    schema: str
    """The file's schema."""
    schema_path: tuple[str, ...]
    """Where in the schema (list items as [], any key as *, a key itself as {key})."""
    data_path: tuple
    """Where in the file's data, by the file's own keys and indexes."""
    kind: str
    """'value' (replace the value), 'key' (rename a key), or 'inserted' (absent in content)."""
    original: Any = None
    """The value (or key) as the content has it."""
    unit: int | None = None
    """For inserted locations: the insertion they belong to (removed as a whole)."""

    def describe(self) -> str:
        return f"{self.file}, {show_path(self.data_path)}"


@dataclass
class Insertion:
    """An optional property the content leaves out, added with payloads in its strings."""

    number: int
    file: str
    parent: tuple
    """Data path of the object it is added to."""
    name: str
    template: Any
    """The value to add, with a _Leaf (a location number) in place of each string and key."""
    leaves: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Leaf:
    """A string (or, with `key`, a mapping key) of an inserted value, filled in per form."""

    number: int
    key: bool = False


@dataclass
class ContentFile:
    relative: str
    schema: str
    data: Any


def _instance(schema: dict, root: dict, new_leaf: Callable[[bool], _Leaf], depth: int = 0) -> Any:
    """A smallest value of `schema` with a fresh location in every string (and every key)."""
    alternatives = options(schema, root)
    for option in alternatives:
        if allows_string(option):
            return new_leaf(False)
    shape = next((option for option in alternatives if option.get("type") in ("object", "array")
                  or "properties" in option or "items" in option), alternatives[0])
    kind = shape.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if depth > 10:
        return None
    if kind == "object" or "properties" in shape:
        value: dict = {}
        properties = shape.get("properties", {})
        for name in shape.get("required", []):
            if name in properties:
                value[name] = _instance(properties[name], root, new_leaf, depth + 1)
        for name, sub in properties.items():
            if name not in value and string_paths(sub, root):
                value[name] = _instance(sub, root, new_leaf, depth + 1)
        if not properties and isinstance(shape.get("additionalProperties"), dict):
            value[new_leaf(True)] = _instance(shape["additionalProperties"], root, new_leaf, depth + 1)
        return value
    if kind == "array" or "items" in shape:
        items = shape.get("items", {})
        return [_instance(items, root, new_leaf, depth + 1) for _ in range(max(1, shape.get("minItems", 1)))]
    if kind in ("integer", "number"):
        return shape.get("minimum", 0)
    if kind == "boolean":
        return False
    if "enum" in shape:
        return shape["enum"][0]
    return None


class Plan:
    """Every string location of the content, and how to write the content with payloads."""

    def __init__(self, content_dir: Path, schemas: dict[str, dict]) -> None:
        self.schemas = schemas
        self.files: list[ContentFile] = []
        self.locations: list[Location] = []
        self.insertions: list[Insertion] = []
        paths = sorted(content_dir.rglob("*.yml")) + sorted(content_dir.rglob("*.yaml"))
        # Fee files first: their location numbers then survive edits elsewhere, and the fee
        # data (which goes into the calculator's wheel) stays the same, so the build cache
        # keeps each form's wheel from one run to the next.
        paths.sort(key=lambda path: (not path.relative_to(content_dir).as_posix().startswith("fees/"), path.as_posix()))
        for path in paths:
            relative = "content/" + path.relative_to(content_dir).as_posix()
            name = schema_for(relative)
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
            self.files.append(ContentFile(relative, name, data))
            schema = schemas[name]
            self._walk(relative, name, data, options(schema, schema), (), ())
        self.keys: dict[str, list[Location]] = {}
        """The key locations of each file (a payload in a key moves everything below it)."""
        for location in self.locations:
            if location.kind == "key":
                self.keys.setdefault(location.file, []).append(location)

    def _new(self, **kwargs) -> Location:
        location = Location(number=len(self.locations), **kwargs)
        self.locations.append(location)
        return location

    def _walk(self, file: str, schema: str, value: Any, alternatives: list[dict], data_path: tuple,
              schema_path: tuple) -> None:
        root = self.schemas[schema]
        if not isinstance(value, (dict, list)):
            if any(allows_string(option) for option in alternatives):
                self._new(file=file, schema=schema, schema_path=schema_path, data_path=data_path,
                          kind="value", original=value)
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                below = [sub for option in alternatives for segment, sub in _children(option)
                         if segment == ITEM or segment == f"[{index}]"]
                segment = next((segment for option in alternatives for segment, _ in _children(option)
                                if segment == f"[{index}]"), ITEM)
                self._walk(file, schema, item, [o for sub in below for o in options(sub, root)],
                           data_path + (index,), schema_path + (segment,))
            return
        properties: dict[str, list[dict]] = {}
        for option in alternatives:
            for name, sub in option.get("properties", {}).items():
                properties.setdefault(name, []).append(sub)
        for key, item in value.items():
            if key in properties:
                subs, segment = properties[key], key
            else:
                matching = [(f"~{pattern}", sub) for option in alternatives
                            for pattern, sub in option.get("patternProperties", {}).items() if re.search(pattern, str(key))]
                extra = [sub for option in alternatives if isinstance(sub := option.get("additionalProperties"), dict)]
                if matching:
                    segment, subs = matching[0][0], [sub for _, sub in matching]
                elif extra:
                    segment, subs = ANY_KEY, extra
                else:
                    continue  # not in the schema: check refuses the file, nothing to attack
                self._new(file=file, schema=schema, schema_path=schema_path + (KEY,),
                          data_path=data_path + (key,), kind="key", original=key)
            self._walk(file, schema, item, [o for sub in subs for o in options(sub, root)],
                       data_path + (key,), schema_path + (segment,))
        for name, subs in properties.items():
            if name in value or not any(string_paths(sub, root) for sub in subs):
                continue
            self._insert(file, schema, data_path, schema_path, name, subs[0])

    def _insert(self, file: str, schema: str, parent: tuple, schema_path: tuple, name: str, sub: dict) -> None:
        root = self.schemas[schema]
        insertion = Insertion(number=len(self.insertions), file=file, parent=parent, name=name, template=None)

        def new_leaf(key: bool) -> _Leaf:
            location = self._new(file=file, schema=schema, schema_path=(), data_path=(), kind="inserted",
                                 unit=insertion.number)
            insertion.leaves.append(location.number)
            return _Leaf(location.number, key)

        insertion.template = _instance(sub, root, new_leaf)
        if not insertion.leaves:
            return
        self.insertions.append(insertion)
        # Name each leaf's place now that the template's shape is known.
        for path, leaf in _leaf_paths(insertion.template, (name,)):
            location = self.locations[leaf.number]
            location.data_path = parent + path
            location.schema_path = schema_path + _schema_segments(path, leaf.key)

    def write(self, content_dir: Path, form: str, active: set[int]) -> dict[str, str]:
        """Write every content file with the form's payload in each active location; returns
        the text written, by file."""
        written = {}
        for content_file in self.files:
            data = self.materialise(content_file, form, active)
            text = dump(data)
            (content_dir.parent / content_file.relative).write_text(text, encoding="utf-8")
            written[content_file.relative] = text
        return written

    def materialise(self, content_file: ContentFile, form: str, active: set[int]) -> Any:
        data = copy.deepcopy(content_file.data)
        here = [location for location in self.locations if location.file == content_file.relative]
        for location in here:
            if location.kind == "value" and location.number in active:
                _set(data, location.data_path, payload(form, location.number, location.original))
        for insertion in self.insertions:
            if insertion.file == content_file.relative and all(leaf in active for leaf in insertion.leaves):
                _set(data, insertion.parent + (insertion.name,), _fill(insertion.template, form))
        # Keys last and deepest first: every path above still names the content's own keys.
        for location in sorted((loc for loc in here if loc.kind == "key" and loc.number in active),
                               key=lambda loc: -len(loc.data_path)):
            parent = _get(data, location.data_path[:-1])
            renamed = {(payload(form, location.number, key) if key == location.original else key): value
                       for key, value in parent.items()}
            parent.clear()
            parent.update(renamed)
        return data

    def current_path(self, location: Location, form: str, active: set[int]) -> tuple:
        """The location's path in the written file, where keys above it (or the key itself)
        may carry payloads."""
        path = [payload(form, part.number, None) if isinstance(part, _Leaf) else part for part in location.data_path]
        for other in self.keys.get(location.file, []):
            depth = len(other.data_path)
            if other.number in active and location.data_path[:depth] == other.data_path:
                path[depth - 1] = payload(form, other.number, other.original)
        return tuple(path)


def _leaf_paths(value: Any, path: tuple) -> Iterator[tuple[tuple, _Leaf]]:
    if isinstance(value, _Leaf):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, _Leaf):
                yield path + (key,), key
            yield from _leaf_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, path + (index,))


def _schema_segments(path: tuple, is_key: bool) -> tuple:
    segments = []
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(part, int):
            segments.append(ITEM)
        elif isinstance(part, _Leaf):
            segments.append(KEY if (last and is_key) else ANY_KEY)
        else:
            segments.append(part)
    return tuple(segments)


def _fill(template: Any, form: str) -> Any:
    if isinstance(template, _Leaf):
        return payload(form, template.number, None)
    if isinstance(template, dict):
        return {_fill(key, form): _fill(value, form) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(item, form) for item in template]
    return template


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


# --- Lines in the written files ------------------------------------------------------------------

def _node_lines(document: yaml.Node, path: tuple, key: bool) -> set[int]:
    """The 1-based lines a `check` message may name for the value (or key) at `path`: the
    key's line, and every line the value spans."""
    node, key_node = document, None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                return set()
            key_node, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = None, node.value[part]
        else:
            return set()
    if key:
        return {key_node.start_mark.line + 1} if key_node is not None else set()
    # A block scalar ends at column 0 of the line after its text.
    last = max(node.end_mark.line + (1 if node.end_mark.column > 0 else 0), node.start_mark.line + 1)
    lines = set(range(node.start_mark.line + 1, last + 1))
    if key_node is not None:
        lines.add(key_node.start_mark.line + 1)
    return lines


class LineIndex:
    """Which active locations each line of the written files belongs to, for one check round."""

    def __init__(self, plan: "Plan", written: dict[str, str], form: str, active: set[int]) -> None:
        documents = {file: yaml.compose(text, Loader=_TextLoader) for file, text in written.items()}
        self.lines: dict[int, set[int]] = {}
        self.at: dict[tuple[str, int], set[int]] = {}
        for location in plan.locations:
            if location.number not in active:
                continue
            lines = _node_lines(documents[location.file], plan.current_path(location, form, active),
                                location.kind == "key")
            self.lines[location.number] = lines
            for line in lines:
                self.at.setdefault((location.file, line), set()).add(location.number)


# --- check's messages -------------------------------------------------------------------------------

_PROBLEM = re.compile(r"^(content/[^:\n]+):(\d+): ")


@dataclass
class Problem:
    file: str
    line: int
    text: str


def parse_problems(output: str) -> list[Problem]:
    """`content/file.yml:LINE: field: message` lines; a message with line breaks (a payload
    quoted in it) continues on the following lines."""
    problems: list[Problem] = []
    for line in output.splitlines():
        if match := _PROBLEM.match(line):
            problems.append(Problem(match[1], int(match[2]), line))
        elif problems and not re.match(r"^\d+ problem i innehållet", line) and not line.startswith("varning:"):
            problems[-1].text += "\n" + line
    return problems


def _build_errors(output: str) -> str:
    """The build's errors without the pages of warnings that come before them."""
    lines = output.splitlines()
    warnings = [line for line in lines if line.startswith("WARNING")]
    rest = [line for line in lines if not line.startswith(("WARNING", "INFO"))]
    shown = rest[-40:] + (warnings[:5] + [f"… {len(warnings) - 5} more warnings"] if len(warnings) > 5 else warnings)
    return "\n".join(shown)


# --- One form -----------------------------------------------------------------------------------------

@dataclass
class FormResult:
    form: str
    refused: dict[int, str] = field(default_factory=dict)
    """Locations check refused at their own file and line, with one message."""
    misplaced: dict[int, list[str]] = field(default_factory=dict)
    """Locations check refused, but only naming some other place."""
    withdrawn: set[int] = field(default_factory=set)
    """Inserted locations removed because another leaf of the same insertion was refused."""
    built: set[int] = field(default_factory=set)
    """Locations whose payload was in the content that was built."""
    failures: list[str] = field(default_factory=list)
    leaks: list[Finding] = field(default_factory=list)
    published: set[int] = field(default_factory=set)
    rounds: int = 0
    seconds: float = 0.0


def run_form(plan: Plan, form: str, workdir: Path) -> FormResult:
    started = time.monotonic()
    result = FormResult(form)
    shutil.copytree(ROOT / "content", workdir / "content")
    root = make_project(workdir)
    active = {location.number for location in plan.locations}
    by_number = {location.number: location for location in plan.locations}
    while True:
        written = plan.write(root / "content", form, active)
        check = run_check(root)
        result.rounds += 1
        if check.returncode == 0:
            break
        problems = parse_problems(check.stdout + check.stderr)
        if not problems:
            result.failures.append(f"{form}: check failed without a located message:\n{(check.stdout + check.stderr)[-3000:]}")
            return _finish(result, started)
        index = LineIndex(plan, written, form, active)
        restore: set[int] = set()
        named_elsewhere: dict[int, list[str]] = {}
        for problem in problems:
            named = {number for number in quoted_markers(problem.text) if number in active}
            # A message quoting a payload is about that location, wherever it points; when it
            # quotes several (a value under a renamed key), it is about the one on its line.
            placed = {number for number in named if number in index.at.get((problem.file, problem.line), ())}
            if not named:
                # No payload quoted (e.g. "HTML is not allowed here"): the location on that line.
                placed = index.at.get((problem.file, problem.line), set())
            for number in placed:
                result.refused.setdefault(number, problem.text)
            for number in named if not placed else ():
                named_elsewhere.setdefault(number, []).append(problem.text)
            restore |= placed or named
        for number, texts in named_elsewhere.items():
            if number not in result.refused:
                result.misplaced[number] = texts
        if not restore or result.rounds >= MAX_CHECK_ROUNDS:
            why = ("without naming the file and line of a location that carries a payload" if not restore
                   else f"still after {result.rounds} rounds of restoring the locations it named")
            result.failures.append(f"{form}: check refused the content {why}:\n"
                                   + "\n".join(problem.text for problem in problems))
            return _finish(result, started)
        for number in restore:
            location = by_number[number]
            if location.unit is not None:
                leaves = set(plan.insertions[location.unit].leaves) & active
                result.withdrawn |= leaves - restore - set(result.refused)
                active -= leaves
            active.discard(number)
    result.built = set(active)
    # Every engine is an output context of its own: each prints front matter and the site
    # settings into its templates in its own way.
    for engine in ENGINES:
        site = root / f"site-{engine}"
        build = build_site(site, root / "mkdocs.yml", engine=engine)
        if build.returncode != 0:
            result.failures.append(f"{form} ({engine}): check accepted the content, but the build failed:\n"
                                   + _build_errors(build.stdout + build.stderr))
        if not site.is_dir():
            continue
        # A build that failed late (the site's own link check) has written its pages: scan them
        # too, so that the list of leaks is complete.
        findings, broken = scan_site(site)
        if build.returncode == 0:
            result.failures += [f"{form} ({engine}): {problem}" for problem in broken]
        result.leaks += findings
        result.published |= published_markers(site)
        shutil.rmtree(site, ignore_errors=True)
    return _finish(result, started)


def _finish(result: FormResult, started: float) -> FormResult:
    result.seconds = time.monotonic() - started
    return result


# --- The tests ----------------------------------------------------------------------------------------

def test_every_content_string_is_published_only_as_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    started = time.monotonic()
    schemas = load_schemas()
    plan = Plan(ROOT / "content", schemas)
    assert {content_file.schema for content_file in plan.files} == set(schemas), (
        "every schema in SCHEMA_DIRS must apply to some content file, or its fields go untested")
    workers = max(1, min(len(FORMS), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda item: run_form(plan, item[1], tmp_path / f"form{item[0]}"), enumerate(FORMS)))

    wanted = {(name, path) for name, schema in schemas.items() for path in string_paths(schema)}
    leaks, failures, exercised = summarise(plan, results)
    with capsys.disabled():
        print(f"\ninjection: {len(plan.locations)} string locations ({len(wanted)} schema paths) "
              f"in {len(plan.files)} files, {len(FORMS)} forms")
        for result in results:
            print(f"  {result.form:32} {len(result.built):4} built, {len(result.refused):4} refused at their line, "
                  f"{len(result.misplaced):3} refused elsewhere, {len(result.published):4} markers published, "
                  f"{len(result.leaks):4} findings, {result.rounds} check rounds, {result.seconds:5.1f} s")
        print(f"  {len(leaks)} leaks, {len(failures)} other failures, {time.monotonic() - started:.1f} s in all")
    missing = sorted(f"{name}: {show_path(path)}" for name, path in wanted - exercised)
    assert not missing, "schema string paths no payload reached (neither built nor refused):\n" + "\n".join(missing)
    assert not leaks and not failures, (
        f"{len(leaks)} leaks and {len(failures)} other failures:\n" + "\n".join(leaks) + "\n\n" + "\n\n".join(failures))


def summarise(plan: Plan, results: list[FormResult]) -> tuple[list[str], list[str], set[tuple[str, tuple]]]:
    """(one line per leak, every other failure, the schema paths exercised). A leak is one
    form, location and kind of finding; the pages it shows on are counted, not repeated."""
    by_number = {location.number: location for location in plan.locations}
    exercised: set[tuple[str, tuple]] = set()
    failures: list[str] = []
    grouped: dict[tuple[str, int | None, str], list[Finding]] = {}
    for result in results:
        for number in set(result.refused) | set(result.misplaced) | result.built:
            exercised.add((by_number[number].schema, by_number[number].schema_path))
        failures += result.failures
        for finding in result.leaks:
            grouped.setdefault((result.form, finding.marker, finding.kind), []).append(finding)
        for number, texts in sorted(result.misplaced.items()):
            failures.append(f"{result.form} / location {number} ({by_number[number].describe()}): check refused "
                            f"it but named another place:\n    " + "\n    ".join(texts[:3]))
    leaks = []
    order = {form: index for index, form in enumerate(FORMS)}
    for (form, number, kind), found in sorted(grouped.items(), key=lambda item: (
            order.get(item[0][0], 0), -1 if item[0][1] is None else item[0][1], item[0][2])):
        location = by_number.get(number) if number is not None else None
        where = f"{number} ({location.describe()})" if location else "? (no marker: a breakout, not attributable)"
        pages = sorted({finding.page for finding in found})
        more = f"; also on {len(pages) - 1} more: {', '.join(pages[1:4])}{', …' if len(pages) > 4 else ''}" \
            if len(pages) > 1 else ""
        first = next(finding for finding in found if finding.page == pages[0])
        leaks.append(f"{form} / location {where} -> {first} [{kind}{more}]")
    return leaks, failures, exercised


# The detector and the schema walk, on small known inputs: a test that cannot bite is no test.

@pytest.mark.parametrize("html", [
    "<script>mark(1)</script>",
    "<template><script type=module>mark(1)</script></template>",
    '<img src=x onerror="mark(1)">',
    '<a href=" JaVa&#x53;cript:mark(1)">a</a>',
    '<a href="java\tscript:mark%281%29">a</a>',
    '<a href="vbscript:mark(1)">a</a>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5tYXJrKDEpPC9zY3JpcHQ+"></iframe>',
    '<iframe srcdoc="&lt;script&gt;mark(1)&lt;/script&gt;"></iframe>',
    '<meta http-equiv="refresh" content="0; url=javascript:mark(1)">',
    '<meta name="description" content="" onmouseover="mark(1)" x="">',
    "<title></title><img src=x onerror=mark(1)></title>",
    '<img srcset="a.png 1x, javascript:mark(1) 2x">',
])
def test_detector_finds_executable_markers(html: str) -> None:
    assert 1 in {finding.marker for finding in find_in_html(html, "page")}, html


@pytest.mark.parametrize("html", [
    "<p>&lt;script&gt;mark(1)&lt;/script&gt;</p>",
    '<meta name="description" content="&quot; onmouseover=&quot;mark(1)&quot;">',
    "<title><script>mark(1)</script></title>",
    '<script type="application/json">{"a": "mark(1)"}</script>',
    '<a href="https://example.se/?q=javascript:mark(1)">javascript:mark(1)</a>',
    "<!-- <script>mark(1)</script> -->",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="mark(1)">',
])
def test_detector_ignores_text(html: str) -> None:
    assert find_in_html(html, "page") == [], html


@pytest.mark.parametrize("html", [
    '<a href="javascript:void(0)">a</a>',
    '<object data="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></object>',
    '<p title="" x="">a</p>',
])
def test_detector_reports_script_urls_and_breakouts_without_a_marker(html: str) -> None:
    """A payload whose marker got lost (cut, parsed as a link title) is still reported."""
    assert [finding.marker for finding in find_in_html(html, "page")] == [None], html


def test_schema_walk_finds_every_kind_of_string_location() -> None:
    schema = {
        "$defs": {"text": {"type": "string"}},
        "type": "object",
        "properties": {
            "plain": {"$ref": "#/$defs/text"},
            "maybe": {"type": ["integer", "string", "null"]},
            "either": {"anyOf": [{"type": "integer"}, {"type": "string", "enum": ["x"]}]},
            "number": {"type": ["integer", "null"]},
            "list": {"type": "array", "items": {"oneOf": [{"type": "object", "properties": {"deep": {"type": "string"}}}]}},
            "map": {"type": "object", "additionalProperties": {"type": "string"}},
            "anything": {"description": "no type: text is allowed too"},
            "patterned": {"type": "object", "patternProperties": {"^a": {"type": "string"}}},
        },
    }
    assert string_paths(schema) == {
        ("plain",), ("maybe",), ("either",), ("list", ITEM, "deep"), ("anything",),
        ("map", KEY), ("map", ANY_KEY), ("patterned", KEY), ("patterned", "~^a"),
    }


def test_the_live_site_has_no_executable_content(built_site: Path) -> None:
    """The detector's baseline: the site as built from the live content has no event handler,
    breakout attribute or script URL at all (else every leak would drown in noise)."""
    findings, broken = scan_site(built_site)
    assert not findings and not broken, "\n".join(map(str, findings)) + "\n".join(broken)
