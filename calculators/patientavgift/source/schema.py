"""Validating YAML content against JSON Schema files, with located Swedish messages.

The schema files are the one source of truth: editors' tools read them for completion, and
this module checks the content against them. The fee schemas are beside this module
(`schemas/fee-*.schema.json`, the default); the portal passes its own folder (`portal/schemas/`)
for the site's other files. It implements the subset of JSON Schema the
files use (type, properties, required, additionalProperties, items, enum, pattern,
minLength, maxLength, minItems, uniqueItems, minimum, maximum, format: date) so that each
failure becomes a located Swedish message with the fix taken from the schema's `x-fix`.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .problems import Problem
from .yamlfile import LineDict, LineList, YamlFile

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
"""The fee data's schemas (fee-region, fee-national-clinic, fee-parameter)."""

_TYPE_NAMES = {
    "object": "en samling fält (namn: värde)",
    "array": "en lista",
    "string": "text",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "null": "null (okänt)",
}


@cache
def load_schema(name: str, directory: Path = SCHEMA_DIR) -> dict:
    """The schema `<directory>/<name>.schema.json` (by default one of the fee schemas)."""
    return json.loads((directory / f"{name}.schema.json").read_text(encoding="utf-8"))


def read_and_validate(
    path: Path, root: Path, schema: str, problems: list[Problem], *, empty: str, by_item: bool = False,
    schema_dir: Path = SCHEMA_DIR,
) -> tuple[YamlFile, bool]:
    """Read `path` and check it against the schema `schema` in `schema_dir`, adding every
    problem to `problems`.

    `empty` is the message for a file with no data; `by_item` reads a top-level list item by
    item when the file does not parse as a whole. Returns the file as read and whether its
    data met the schema."""
    loaded = YamlFile.read(path, root)
    if by_item and loaded.data is None and loaded.problems:
        loaded.read_items()
    problems.extend(loaded.problems)
    if loaded.data is None:
        if not loaded.problems:
            problems.append(Problem(loaded.display, 1, "-", empty))
        return loaded, False
    found = Validator(load_schema(schema, schema_dir), loaded.display).validate(loaded.data)
    problems.extend(found)
    return loaded, not found


def is_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class Validator:
    """Checks one parsed YAML document against one schema and collects every problem."""

    def __init__(self, schema: dict, file: str) -> None:
        self.schema = schema
        """The JSON Schema (as loaded from its file)."""
        self.file = file
        """The content file's display path, for messages."""
        self.problems: list[Problem] = []
        """Problems found so far."""

    def validate(self, data: Any, line: int = 1) -> list[Problem]:
        self._check(data, self.schema, path="", line=line)
        return self.problems

    def _report(self, line: int, path: str, message: str, schema: dict) -> None:
        fix = schema.get("x-fix")
        text = f"{message}; {fix}." if fix else f"{message}."
        self.problems.append(Problem(self.file, line, path or "-", text))

    def _check(self, value: Any, schema: dict, path: str, line: int) -> None:
        if "anyOf" in schema:
            if not any(not Validator(option, self.file).validate(value, line) for option in schema["anyOf"]):
                self._report(line, path, f"{_describe(value)} är inte tillåtet här", schema)
            return
        expected = schema.get("type")
        types = expected if isinstance(expected, list) else [expected] if expected else []
        if types and not any(_has_type(value, kind) for kind in types):
            shown = "tomt" if value is None else f"{_describe(value)}"
            wanted = " eller ".join(_TYPE_NAMES[kind] for kind in types)
            self._report(line, path, f"ska vara {wanted}, men är {shown}", schema)
            return
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(str(item) for item in schema["enum"])
            self._report(line, path, f"'{value}' är inte tillåtet (tillåtet: {allowed})", schema)
        if isinstance(value, str):
            self._check_string(value, schema, path, line)
        elif isinstance(value, dict):
            self._check_object(value, schema, path, line)
        elif isinstance(value, list):
            self._check_array(value, schema, path, line)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self._report(line, path, f"{value} är för litet (minst {schema['minimum']})", schema)
            if "maximum" in schema and value > schema["maximum"]:
                self._report(line, path, f"{value} är för stort (högst {schema['maximum']})", schema)

    def _check_string(self, value: str, schema: dict, path: str, line: int) -> None:
        if "minLength" in schema and len(value.strip()) < schema["minLength"]:
            self._report(line, path, "får inte vara tomt", schema)
            return
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            self._report(line, path, (
                f"är {len(value)} tecken, högst {schema['maxLength']} får plats"
            ), schema)
        if "pattern" in schema and not re.search(schema["pattern"], value):
            self._report(line, path, f"'{value}' har fel form", schema)
        if schema.get("format") == "date" and not is_date(value):
            self._report(line, path, f"'{value}' är inget giltigt datum", schema)

    def _check_object(self, value: dict, schema: dict, path: str, line: int) -> None:
        properties = schema.get("properties", {})
        key_line = value.line_of if isinstance(value, LineDict) else (lambda key: line)
        for key in schema.get("required", []):
            if key not in value:
                self._report(line, _join(path, key), (
                    f"fältet '{key}' saknas; lägg till '{key}:' med ett värde"
                ), {})
        names = schema.get("propertyNames", {})
        for key, item in value.items():
            if "pattern" in names and not re.search(names["pattern"], key):
                self._report(key_line(key), _join(path, key), f"'{key}' har fel form", names)
            if key in properties:
                self._check(item, properties[key], _join(path, key), key_line(key))
            elif isinstance(schema.get("additionalProperties"), dict):
                self._check(item, schema["additionalProperties"], _join(path, key), key_line(key))
            elif schema.get("additionalProperties") is False:
                guess = difflib.get_close_matches(key, properties, n=1)
                hint = f"menade du '{guess[0]}'?" if guess else "ta bort det."
                allowed = ", ".join(properties)
                self._report(key_line(key), _join(path, key), (
                    f"okänt fält '{key}' ({hint} Tillåtna fält: {allowed})"
                ), {})

    def _check_array(self, value: list, schema: dict, path: str, line: int) -> None:
        if "minItems" in schema and len(value) < schema["minItems"]:
            self._report(line, path, f"listan ska ha minst {schema['minItems']} element", schema)
        item_line = value.line_of if isinstance(value, LineList) else (lambda index: line)
        seen: set = set()
        for index, item in enumerate(value):
            # Items of a top-level list (entries, categories) are located by line, not by index.
            item_path = f"{path}[{index}]" if path else ""
            if schema.get("uniqueItems") and isinstance(item, str):
                if item in seen:
                    self._report(item_line(index), item_path, (
                        f"'{item}' står två gånger i listan; ta bort dubbletten"
                    ), {})
                seen.add(item)
            if "items" in schema:
                self._check(item, schema["items"], item_path, item_line(index))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _has_type(value: Any, expected: str) -> bool:
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "null":
        return value is None
    raise ValueError(f"unsupported schema type {expected!r}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"sanningsvärdet {str(value).lower()} (skriv texten inom citattecken)"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"texten '{value}'"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if isinstance(value, dict):
        return "en samling fält"
    if isinstance(value, list):
        return "en lista"
    return type(value).__name__
