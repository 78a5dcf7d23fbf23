"""The portal's content: site settings, categories and FAQ entries, read from `content/`.

`Content.load(root)` reads every file, validates it against its schema and against the
other files (unique ids, existing related ids, answers that render), and either returns the
whole content or raises one ContentError listing every problem found. Nothing is dropped:
an entry with a problem fails the run instead of disappearing from the site.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from patientavgift.source.fees import national_clinic_name_in
from patientavgift.source.schema import read_and_validate
from patientavgift.source.yamlfile import LineDict

from ..errors import ContentError, Problem
from .fees import FeeData
from .language import GLOSSARY_FILE, Glossary
from .synonyms import SYNONYMS_FILE, Synonyms

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
"""The portal's own schemas: site, categories, faq, ordlista, synonymer (the fee schemas are
the calculator's, in patientavgift/source/schemas/)."""
_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")


@dataclass
class Category:
    """A group of entries, shown on the home page and in the navigation."""

    id: str
    """Permanent id; the category page is /kategori/<id>/."""
    title: str
    """Heading shown to patients."""
    order: int
    """Position among the categories, lowest first."""
    description: str
    """One sentence shown under the title on the home page (may be empty)."""
    entries: list["Entry"] = field(default_factory=list)
    """The category's entries in file order."""
    source: LineDict = field(default_factory=LineDict, repr=False)
    """The category as read from YAML, for the line of each key."""

    @property
    def url(self) -> str:
        """The category page's address relative to the site root."""
        return f"kategori/{self.id}/"


@dataclass
class Entry:
    """One question and its answer: one page at /fragor/<id>/."""

    id: str
    """Permanent id; the URL /fragor/<id>/ never changes."""
    question: str
    """The question as the patient asks it; the page heading."""
    answer: str
    """The answer as written: Markdown with jinja2 variables, not yet rendered."""
    keywords: list[str]
    """Search words that are not shown: synonyms, lay words, misspellings."""
    asked_as: list[str]
    """How patients ask for this answer, in their words; not shown, searched like keywords but
    weighed less (a whole question holds general words too)."""
    related: list[str]
    """Ids of related entries, in the order to show them."""
    aliases: list[str]
    """Earlier ids; each old URL redirects to this entry."""
    reviewed: datetime.date
    """When the answer was last reviewed."""
    category: Category
    """The category the entry is filed under (its file)."""
    file: str
    """The file the entry is written in, relative to the repository root."""
    line: int
    """The line of the entry's first key."""
    answer_line: int
    """The line where the answer text begins, to locate errors inside it."""
    source: LineDict = field(default_factory=LineDict, repr=False)
    """The entry as read from YAML, for the line of each key and list item."""

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of `key` (or of item `index` of the list under `key`)."""
        value = self.source.get(key)
        if index is not None and hasattr(value, "line_of"):
            return value.line_of(index)
        return self.source.line_of(key) if self.source else self.line

    @property
    def url(self) -> str:
        return f"fragor/{self.id}/"

    @property
    def urls(self) -> list[str]:
        """Every published path that shows this entry: its own and its aliases'."""
        return [f"/fragor/{entry_id}/" for entry_id in [self.id, *self.aliases]]


@dataclass
class Content:
    """Everything under `content/`, validated."""

    root: Path
    """The repository root the content was read from."""
    site: dict
    """Site settings from content/site.yml (organisation, contacts, texts)."""
    categories: list[Category]
    """Categories in display order."""
    entries: dict[str, Entry]
    """Entries by id, in display order (category order, then file order)."""
    fees: FeeData
    """Dated fee data from content/fees/."""
    aliases: dict[str, Entry] = field(default_factory=dict)
    """The entry that took over each old id (its `aliases:`)."""
    warnings: list[Problem] = field(default_factory=list)
    """What an editor should tidy up but that does not stop the build (e.g. an old id used)."""
    glossary: Glossary = field(default_factory=Glossary)
    """The terms of content/ordlista.yml (none when the file does not exist)."""
    synonyms: Synonyms = field(default_factory=Synonyms)
    """The search synonyms of content/synonymer.yml (none when the file does not exist)."""
    renderer: object = field(default=None, repr=False)
    """The AnswerRenderer that checked the answers (None when they could not be checked); the
    style check and the pages reuse it and its cache of rendered HTML."""

    @classmethod
    def load(cls, root: Path) -> "Content":
        """Read and validate all content below `root/content`; raise ContentError on any problem."""
        content, problems = cls.collect(root)
        if problems:
            raise ContentError(problems)
        return content

    @classmethod
    def collect(cls, root: Path) -> tuple["Content", list[Problem]]:
        """Read everything that can be read, and every problem found along the way."""
        from .answers import AnswerRenderer

        root = root.resolve()
        content_dir = root / "content"
        problems: list[Problem] = []

        site = _read_document(content_dir / "site.yml", root, "site", problems) or {}
        categories = _read_categories(content_dir / "categories.yml", root, problems)
        entries = _read_entries(content_dir / "faq", root, categories, problems)
        fees = FeeData.load(root, problems, national_clinic_name=national_clinic_name_in(site))
        glossary_path = root / GLOSSARY_FILE
        glossary = Glossary.from_data(
            _read_document(glossary_path, root, "ordlista", problems) if glossary_path.is_file() else [], problems
        )
        synonyms_path = root / SYNONYMS_FILE
        synonyms = Synonyms.from_data(
            _read_document(synonyms_path, root, "synonymer", problems) if synonyms_path.is_file() else [], problems
        )

        content = cls(
            root=root,
            site=site if isinstance(site, dict) else {},
            categories=sorted(categories.values(), key=lambda category: category.order),
            entries={},
            fees=fees,
            glossary=glossary,
            synonyms=synonyms,
        )
        for category in content.categories:
            for entry in category.entries:
                content.entries.setdefault(entry.id, entry)
        _check_references(content, entries, problems)
        # Answers need the site settings and the fee data; check them whenever those read,
        # so one run reports every problem in the answers too.
        if site and not any(problem.file == "content/site.yml" or problem.file.startswith("content/fees/")
                            for problem in problems):
            renderer = content.renderer = AnswerRenderer(content)
            found = renderer.check_all()
            content.warnings.extend(renderer.warnings)
            if faq_unreadable(problems):
                # Links to entries in an unreadable file are not wrong; the file is.
                found = [problem for problem in found if UNKNOWN_ENTRY not in problem.message]
            problems.extend(found)
        return content, problems

    def resolve(self, entry_id: str) -> Entry | None:
        """The entry with `entry_id`, or the one that took the id over as an alias."""
        return self.entries.get(entry_id) or self.aliases.get(entry_id)

    def related_entries(self, entry: Entry) -> list[Entry]:
        related: list[Entry] = []
        for entry_id in entry.related:
            other = self.resolve(entry_id)
            if other is not None and other is not entry and other not in related:
                related.append(other)
        return related


def _read_document(path: Path, root: Path, schema: str, problems: list[Problem]):
    display = path.relative_to(root).as_posix()
    if not path.is_file():
        problems.append(Problem(display, 0, "-", "filen saknas; skapa den (se README.md)."))
        return None
    loaded, _ = read_and_validate(path, root, schema, problems, schema_dir=SCHEMA_DIR,
                                  empty="filen är tom; fyll i den enligt README.md.")
    return loaded.data


def _read_categories(path: Path, root: Path, problems: list[Problem]) -> dict[str, Category]:
    data = _read_document(path, root, "categories", problems)
    categories: dict[str, Category] = {}
    if not isinstance(data, list):
        return categories
    display = path.relative_to(root).as_posix()
    orders: dict[int, str] = {}
    for item in data:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            continue
        category_id = item["id"]
        if category_id in categories:
            problems.append(Problem(display, item.line_of("id"), "id", (
                f"kategorin '{category_id}' finns redan; ge varje kategori ett eget id."
            )))
            continue
        order = item.get("order")
        if isinstance(order, int) and order in orders:
            problems.append(Problem(display, item.line_of("order"), "order", (
                f"ordningen {order} används redan av '{orders[order]}'; ge varje kategori ett eget nummer."
            )))
        elif isinstance(order, int):
            orders[order] = category_id
        categories[category_id] = Category(
            id=category_id,
            title=str(item.get("title", category_id)),
            order=order if isinstance(order, int) else 0,
            description=str(item.get("description", "")),
            source=item,
        )
    return categories


def _read_entries(
    faq_dir: Path, root: Path, categories: dict[str, Category], problems: list[Problem]
) -> list[Entry]:
    entries: list[Entry] = []
    categories_unreadable = any(problem.file == "content/categories.yml" for problem in problems)
    files = sorted(faq_dir.glob("*.yml")) + sorted(faq_dir.glob("*.yaml"))
    for path in sorted(faq_dir.iterdir()) if faq_dir.is_dir() else []:
        if path.is_file() and path.suffix not in (".yml", ".yaml"):
            problems.append(Problem(path.relative_to(root).as_posix(), 0, "-", (
                "filen läses inte: frågor ska ligga i filer som slutar på .yml."
            )))
    for path in files:
        display = path.relative_to(root).as_posix()
        category = categories.get(path.stem)
        if category is None and categories_unreadable:
            # categories.yml has its own error; read the entries anyway so nothing else is lost.
            category = categories.setdefault(path.stem, Category(id=path.stem, title=path.stem, order=0, description=""))
        if category is None:
            known = ", ".join(sorted(categories)) or "inga"
            problems.append(Problem(display, 0, "-", (
                f"det finns ingen kategori '{path.stem}' i content/categories.yml. "
                f"Döp filen efter en kategori ({known}) eller lägg till kategorin."
            )))
        # One broken entry never hides the others: a file that does not parse is read by entry.
        loaded, _ = read_and_validate(path, root, "faq", problems, by_item=True, schema_dir=SCHEMA_DIR,
                                      empty="filen är tom; ta bort den eller skriv frågor i den.")
        data = loaded.data
        if not isinstance(data, list):
            continue
        for item in data:
            if not isinstance(item, LineDict):
                continue
            entry = _entry_from(item, display, category)
            if entry is None:
                continue
            entries.append(entry)
            if category is not None:
                category.entries.append(entry)
    for category in categories.values():
        if not category.entries and (faq_dir / f"{category.id}.yml").exists() is False:
            problems.append(Problem("content/categories.yml", 0, category.id, (
                f"kategorin '{category.id}' har inga frågor; skapa content/faq/{category.id}.yml "
                "eller ta bort kategorin."
            )))
    return entries


def _entry_from(item: LineDict, display: str, category: Category | None) -> Entry | None:
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        return None
    reviewed_text = item.get("reviewed")
    try:
        reviewed = datetime.date.fromisoformat(str(reviewed_text))
    except ValueError:
        reviewed = datetime.date.min
    answer = item.get("answer")
    return Entry(
        id=entry_id,
        question=str(item.get("question", "")).strip(),
        answer=str(answer or ""),
        keywords=[str(word) for word in _list(item.get("keywords")) if isinstance(word, str)],
        asked_as=[str(text) for text in _list(item.get("asked_as")) if isinstance(text, str)],
        related=[str(ref) for ref in _list(item.get("related")) if isinstance(ref, str)],
        aliases=[str(alias) for alias in _list(item.get("aliases")) if isinstance(alias, str)],
        reviewed=reviewed,
        category=category or Category(id="", title="", order=0, description=""),
        file=display,
        line=item.line,
        answer_line=getattr(answer, "line", item.line_of("answer")),
        source=item,
    )


UNKNOWN_ENTRY = "det finns ingen fråga med det id:t"
"""Part of the message for fraga('id') with an unknown id (portal/answers.py)."""


def faq_unreadable(problems: list[Problem]) -> bool:
    """Whether some FAQ file (or entry) could not be read at all, so its ids are unknown."""
    return any(problem.field == "-" and problem.file.startswith("content/faq/") for problem in problems)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _check_references(content: Content, entries: list[Entry], problems: list[Problem]) -> None:
    # While a FAQ file cannot be read, its ids are unknown: reporting every reference to them
    # as missing would bury the real problem, so references wait until the file reads.
    unreadable = faq_unreadable(problems)
    first_seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in first_seen:
            earlier = first_seen[entry.id]
            problems.append(Problem(entry.file, entry.line_of("id"), "id", (
                f"id:t '{entry.id}' används redan i {earlier.file}:{earlier.line}. Varje fråga behöver "
                "ett eget id. Har du flyttat frågan? Ta då bort den från den gamla platsen. Är det en ny "
                "fråga? Ge den ett annat id."
            )))
        else:
            first_seen[entry.id] = entry
    alias_owner: dict[str, Entry] = {}
    for entry in entries:
        for index, alias in enumerate(entry.aliases):
            where = entry.line_of("aliases", index)
            if alias in first_seen:
                problems.append(Problem(entry.file, where, f"aliases[{index}]", (
                    f"'{alias}' är id för en fråga som finns ({first_seen[alias].file}:{first_seen[alias].line}); "
                    "ett alias får bara vara ett id som inte används längre."
                )))
            elif alias in alias_owner:
                other = alias_owner[alias]
                problems.append(Problem(entry.file, where, f"aliases[{index}]", (
                    f"aliaset '{alias}' används redan av '{other.id}' ({other.file}:{other.line}); "
                    "en gammal adress kan bara leda till en fråga."
                )))
            else:
                alias_owner[alias] = entry
                content.aliases.setdefault(alias, entry)
    for entry in entries:
        for index, ref in enumerate(entry.related):
            if ref == entry.id:
                problems.append(Problem(entry.file, entry.line_of("related", index), f"related[{index}]", (
                    "en fråga kan inte vara relaterad till sig själv; ta bort id:t ur listan."
                )))
            elif ref in alias_owner and ref not in first_seen:
                content.warnings.append(Problem(entry.file, entry.line_of("related", index), f"related[{index}]", (
                    f"'{ref}' är ett gammalt id för '{alias_owner[ref].id}'; länken fungerar, men skriv "
                    f"'{alias_owner[ref].id}' i stället."
                )))
            elif ref not in first_seen and not unreadable:
                problems.append(Problem(entry.file, entry.line_of("related", index), f"related[{index}]", (
                    f"det finns ingen fråga med id '{ref}'; kontrollera stavningen "
                    "eller ta bort id:t ur listan."
                )))
        for name, line, text in [("question", entry.line_of("question"), entry.question)] + [
            (f"{key}[{index}]", entry.line_of(key, index), word)
            for key in ("keywords", "asked_as") for index, word in enumerate(getattr(entry, key))
        ]:
            if _RAW_HTML.search(text):
                problems.append(Problem(entry.file, line, name, (
                    "HTML-kod är inte tillåten här; skriv vanlig text utan < och >."
                )))
