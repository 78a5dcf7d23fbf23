"""Reading YAML content files so that every value remembers the line it came from.

Editors get errors as `file:line`, so the loader keeps the line of every mapping key and
list item. It also refuses what PyYAML would otherwise accept silently: duplicate keys (the
first value would be lost), tab indentation, and bytes that are not UTF-8. Dates are left as
text so that an impossible date (2025-02-30) becomes a located error instead of a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem


class LineDict(dict):
    """A YAML mapping that knows the line of itself and of each key."""

    line: int = 0
    """Line of the mapping's first key."""
    key_lines: dict[str, int]
    """Line of each key."""

    def line_of(self, key: str) -> int:
        # A mapping made in code (not read from a file) has no key lines.
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list):
    """A YAML sequence that knows the line of itself and of each item."""

    line: int = 0
    """Line where the sequence starts."""
    item_lines: list[int]
    """Line of each item."""

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class LineStr(str):
    """A YAML string that knows where its text starts, for errors inside multi-line text."""

    line: int = 0
    """Line of the first character of the text itself (after a `|` or `>` indicator)."""


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


# LibYAML's parser when PyYAML has it (about five times faster on large content), else Python's.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """SafeLoader that builds LineDict/LineList/LineStr and records duplicate keys."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, str]] = []

    def construct_yaml_map(self, node):  # type: ignore[override]
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in mapping:
                self.duplicate_keys.append((key_node.start_mark.line + 1, key))
                continue
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1

    def construct_yaml_seq(self, node):  # type: ignore[override]
        sequence = LineList()
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        yield sequence
        sequence.extend(self.construct_object(item, deep=True) for item in node.value)

    def construct_yaml_str(self, node):  # type: ignore[override]
        text = LineStr(self.construct_scalar(node))
        block = node.style in ("|", ">")
        text.line = node.start_mark.line + 1 + (1 if block else 0)
        return text


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _LineLoader.construct_yaml_str)


@dataclass
class YamlFile:
    """One content file read from disk: its data (when readable) and what was wrong with it."""

    path: Path
    """Absolute path on disk."""
    display: str
    """Path shown in messages, relative to the repository root."""
    data: Any = None
    """The parsed document, or None when it could not be parsed."""
    problems: list[Problem] = field(default_factory=list)
    """Everything wrong with the file as a YAML document."""
    text: str = ""
    """The file's text as decoded."""
    tab_lines: set[int] = field(default_factory=set)
    """Lines indented with tabs (already reported)."""

    @classmethod
    def read(cls, path: Path, root: Path) -> "YamlFile":
        """Read and parse `path`; never raises for bad content, it records problems instead."""
        try:
            display = path.relative_to(root).as_posix()
        except ValueError:
            display = path.as_posix()
        loaded = cls(path=path, display=display)
        try:
            raw = path.read_bytes()
        except OSError:
            loaded.problems.append(Problem(display, 0, "-", (
                "filen kunde inte läsas; kontrollera att det är en fil och att du har rätt att läsa den."
            )))
            return loaded
        loaded.text = loaded._decode(raw)
        loaded.tab_lines = loaded._check_tabs(loaded.text)
        loaded.data, problems = loaded._parse(loaded.text)
        loaded.problems.extend(problems)
        return loaded

    def read_items(self) -> "YamlFile":
        """For a file that is a top-level list and does not parse as a whole: parse each item on
        its own, so one broken entry cannot take the others in the file down with it."""
        starts = [number for number, line in enumerate(self.text.splitlines()) if line.startswith("- ")]
        if not starts:
            return self
        lines = self.text.splitlines(keepends=True)
        items = LineList()
        items.line = starts[0] + 1
        items.item_lines = []
        problems = [problem for problem in self.problems if problem.line in self.tab_lines or problem.line == 0]
        problems += [problem for problem in self.problems if problem.message.startswith("tecken som inte")]
        for start, end in zip(starts, starts[1:] + [len(lines)]):
            # Blank lines in front keep the line numbers of the whole file.
            chunk = "\n" * start + "".join(lines[start:end])
            data, found = self._parse(chunk)
            problems.extend(found)
            if isinstance(data, list) and len(data) == 1:
                items.append(data[0])
                items.item_lines.append(start + 1)
        self.data = items
        self.problems = sorted(set(problems))
        return self

    def _decode(self, raw: bytes) -> str:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problems.append(Problem(self.display, line, "-", (
                f"tecken som inte är UTF-8 (byte 0x{raw[error.start]:02x}). "
                "Spara filen med teckenkodningen UTF-8 i din editor."
            )))
            # Read on, so that the rest of the file is still checked and nothing else is lost.
            text = raw.decode("utf-8", errors="replace")
        return text.removeprefix("\ufeff")

    def _parse(self, text: str) -> tuple[Any, list[Problem]]:
        problems: list[Problem] = []
        try:
            loader = _LineLoader(text)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            context = getattr(error, "context", None) or ""
            if getattr(error, "context_mark", None) is not None and ("quoted scalar" in context or "flow" in context):
                # An unclosed quote or bracket is found at the end; the editor needs where it opened.
                mark = error.context_mark
            line = mark.line + 1 if mark else 0
            if line not in self.tab_lines:
                problems.append(Problem(self.display, line, "-", _explain_yaml_error(error)))
            return None, problems
        for line, key in loader.duplicate_keys:
            problems.append(Problem(self.display, line, key, (
                f"nyckeln '{key}' finns redan tidigare i samma post. "
                "Ta bort den ena så att inget värde skrivs över utan att det syns."
            )))
        return data, problems

    def _check_tabs(self, text: str) -> set[int]:
        lines = set()
        for number, line in enumerate(text.splitlines(), start=1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                lines.add(number)
                self.problems.append(Problem(self.display, number, "-", (
                    "raden är indragen med tabb. YAML kräver mellanslag: "
                    "byt tabben mot två mellanslag per nivå."
                )))
        return lines


_SYNTAX_ERRORS = (
    # (part of the parser's English message, what it means in Swedish, how to fix it)
    ("mapping values are not allowed", "ett kolon följt av mellanslag där inget fält kan börja",
     "Sätt texten inom citattecken (\"...\") om den innehåller ': '."),
    ("could not find expected ':'", "ett fält saknar kolon",
     "Varje fält skrivs 'namn: värde'; kontrollera raden och indraget ovanför."),
    ("cannot start any token", "ett tecken som inte får inleda ett värde",
     "Sätt texten inom citattecken om den börjar med ett specialtecken (@, `, %)."),
    ("found undefined alias", "ett värde som börjar med *",
     "Sätt texten inom citattecken om den börjar med *."),
)


def _explain_yaml_error(error: yaml.YAMLError) -> str:
    """The parser's error (English, from PyYAML or LibYAML) as a Swedish explanation and fix."""
    detail = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    for english, meaning, fix in _SYNTAX_ERRORS:
        if english in detail:
            return f"YAML-syntaxfel: {meaning}. {fix}"
    if "quoted scalar" in context:
        return ("YAML-syntaxfel: ett citattecken öppnas här men stängs aldrig. "
                "Avsluta texten med samma citattecken.")
    if "flow" in context:
        return ("YAML-syntaxfel: en lista eller grupp som öppnas här med [ eller { stängs aldrig. "
                "Lägg till ] eller }.")
    if "expected <block end>" in detail or "did not find expected" in detail or "block" in context:
        return ("YAML-syntaxfel: indraget stämmer inte med raderna ovanför. "
                "Använd samma antal mellanslag som för de andra fälten i frågan.")
    return (f"YAML-syntaxfel ({detail}). "
            "Kontrollera indraget och att text med ': ' eller '#' står inom citattecken.")
