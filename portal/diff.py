"""What a pull request changes for patients: `python3 build.py diff --base <git-ref>`.

Compares content/ as committed at <git-ref> with content/ in the working tree and prints, in
Swedish, what patients would notice: questions, answers, fees, categories, site settings and
redirects. Reviewers of a pull request read this instead of a YAML diff.

The YAML is read here with PyYAML's safe loader, not through Content.load: a pull request that
breaks the content, or fixes content that was broken, is exactly when a reviewer needs the
report, so a file that cannot be read is named and the rest is still compared.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from patientavgift.data import STATUSES

from .errors import PortalError

USAGE = "python3 build.py diff --base <git-referens> [--markdown]"
NOTHING = "Inga ändringar som patienter ser."
SECTIONS = ("Kan inte läsas", "Frågor", "Svar", "Avgifter", "Kategorier", "Webbplatsens inställningar",
            "Omdirigeringar")

# Word-diff markers travel as control characters until the output format is chosen, so that
# Markdown escaping of the content never touches them.
_DEL, _DEL_END, _INS, _INS_END = "\x01", "\x02", "\x03", "\x04"
_MARKERS = {_DEL: "[-", _DEL_END: "-]", _INS: "{+", _INS_END: "+}"}

META_FIELDS = ("source", "url", "source_date", "checked", "status", "valid_from_basis", "old")
STATUS_NAMES = dict(STATUSES)
"""The fee data's statuses in words (patientavgift.data, as the calculator shows them)."""
PROFESSION_NAMES = {
    "alla": "alla yrkesgrupper", "lakare": "läkare", "sjukskoterska": "sjuksköterska",
    "fysioterapeut": "fysioterapeut", "psykolog": "psykolog", "barnmorska": "barnmorska",
}
CONTACT_NAMES = {"besok": "besök", "video": "video", "chatt": "chatt", "telefon": "telefon"}
FIELD_NAMES = {
    "name": "namn", "description": "beskrivning", "unit": "enhet", "rule": "regel", "note": "förklaring",
    "title": "rubrik", "order": "ordning", "vardcentral": "vårdcentral", "contacts": "kontakttyper",
}
SECTION_NAMES = {
    "fees": "avgifterna", "cap": "högkostnadstaket", "free_age": "den avgiftsfria åldern",
    "rules": "reglerna", "values": "uppgiften",
}
PARAMETER_NAMES = {
    "alder/avgiftsfritt_fran.yml": "Åldersgräns för avgiftsfri vård (äldre)",
    "alder/avgiftsfritt_under.yml": "Åldersgräns för avgiftsfri vård (barn och unga)",
    "hogkostnadsskydd/nationellt_tak.yml": "Nationellt högkostnadstak",
    "hogkostnadsskydd/prisbasbelopp.yml": "Prisbasbelopp",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DiffError(PortalError):
    """The comparison could not start: no git, an unknown ref, wrong arguments."""

    exit_code = 2


class _TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, with dates kept as text (as the validator keeps them): an impossible
    date such as 2025-02-30 is then a changed value to report instead of a crash."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def url(entry_id: str) -> str:
    return f"/fragor/{entry_id}/"


# ---------------------------------------------------------------- reading one side


@dataclass
class Question:
    id: str
    question: str
    answer: str
    aliases: list[str]
    related: list[str]
    reviewed: str
    category: str
    file: str


@dataclass
class Side:
    """What one side's content/ says, as far as it can be read."""

    label: str
    exists: bool = True
    unreadable: dict[str, str] = field(default_factory=dict)
    """File (relative to the root) → why it cannot be read; such a file is not compared."""
    notes: list[str] = field(default_factory=list)
    site: dict | None = None
    categories: dict[str, dict] | None = None
    entries: dict[str, Question] = field(default_factory=dict)
    fees: dict[str, Any] = field(default_factory=dict)
    """Path below content/fees/ → the file's data."""
    published: list[str] | None = None

    @property
    def faq_unreadable(self) -> bool:
        return any(name.startswith("content/faq/") for name in self.unreadable)

    def alias_targets(self) -> dict[str, str]:
        return {alias: entry.id for entry in self.entries.values() for alias in entry.aliases}

    def served(self) -> set[str]:
        return {url(entry_id) for entry_id in [*self.entries, *self.alias_targets()]}

    def category_title(self, category_id: str) -> str:
        title = (self.categories or {}).get(category_id, {}).get("title")
        return str(title) if title else category_id


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _load(side: Side, root: Path, relative: str) -> tuple[bool, Any]:
    try:
        text = (root / relative).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        side.unreadable[relative] = "filen har tecken som inte är UTF-8. Spara den med teckenkodningen UTF-8."
        return False, None
    except OSError as error:
        side.unreadable[relative] = f"filen kan inte öppnas ({error.strerror})."
        return False, None
    try:
        return True, yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f"rad {mark.line + 1}: " if mark else ""
        side.unreadable[relative] = (
            f"{where}inte giltig YAML (kontrollera indrag, kolon och citattecken). Filen jämförs inte."
        )
        return False, None


def _wrong_shape(side: Side, relative: str, expected: str) -> None:
    side.unreadable[relative] = f"har inte den väntade formen ({expected}). Filen jämförs inte."


def read_side(root: Path, label: str) -> Side:
    """Everything readable below `root/content`; what cannot be read is listed, not raised."""
    side = Side(label=label)
    content = root / "content"
    if not content.is_dir():
        side.exists = False
        return side

    ok, data = _load(side, root, "content/site.yml") if (content / "site.yml").is_file() else (True, {})
    if ok:
        if isinstance(data, dict) or data is None:
            side.site = data or {}
        else:
            _wrong_shape(side, "content/site.yml", "inställningar skrivna som namn: värde")

    ok, data = _load(side, root, "content/categories.yml") if (content / "categories.yml").is_file() else (True, [])
    if ok:
        if isinstance(data, list) or data is None:
            side.categories = {}
            for item in data or []:
                if isinstance(item, dict) and item.get("id") is not None:
                    side.categories.setdefault(str(item["id"]), item)
                else:
                    side.notes.append("content/categories.yml: en kategori utan id jämförs inte.")
        else:
            _wrong_shape(side, "content/categories.yml", "en lista med kategorier")

    for path in sorted((content / "faq").glob("*.yml")):
        relative = f"content/faq/{path.name}"
        ok, data = _load(side, root, relative)
        if not ok:
            continue
        if not (isinstance(data, list) or data is None):
            _wrong_shape(side, relative, "en lista med frågor")
            continue
        for item in data or []:
            if not isinstance(item, dict) or item.get("id") is None:
                side.notes.append(f"{relative}: en fråga utan id jämförs inte.")
                continue
            entry_id = str(item["id"])
            if entry_id in side.entries:
                side.notes.append(f"{relative}: id:t {entry_id} finns redan i {side.entries[entry_id].file}; "
                                  "bara den första frågan jämförs.")
                continue
            side.entries[entry_id] = Question(
                id=entry_id, question=_text(item.get("question")), answer=_text(item.get("answer")),
                aliases=_ids(item.get("aliases")), related=_ids(item.get("related")),
                reviewed=_text(item.get("reviewed")), category=path.stem, file=relative,
            )

    fees_dir = content / "fees"
    for path in sorted(fees_dir.rglob("*.yml")):
        relative = path.relative_to(fees_dir).as_posix()
        ok, data = _load(side, root, f"content/fees/{relative}")
        if not ok:
            continue
        if isinstance(data, dict):
            side.fees[relative] = data
        else:
            _wrong_shape(side, f"content/fees/{relative}", "uppgifter skrivna som namn: värde")

    manifest = content / "publicerade-adresser.txt"
    if manifest.is_file():
        try:
            lines = manifest.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            side.unreadable["content/publicerade-adresser.txt"] = "filen kan inte läsas som UTF-8-text."
        else:
            side.published = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return side


# ---------------------------------------------------------------- the base side from git


def _git(root: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True)
    except FileNotFoundError:
        raise DiffError(
            "git saknas, så det går inte att läsa den tidigare versionen. "
            "Installera git (t.ex. apt-get install git) och kör igen."
        ) from None


def extract_content(root: Path, ref: str, target: Path) -> None:
    """Write content/ as it is at `ref` into `target/content` (nothing when `ref` has none)."""
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise DiffError(f"{root} är inte ett git-arkiv, så det finns ingen tidigare version att jämföra med.")
    # A ref starting with '-' would be read as an option by git.
    resolved = None if ref.startswith("-") else _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if resolved is None or resolved.returncode != 0:
        raise DiffError(
            f"Okänd git-referens '{ref}'. Ange en gren, tagg eller commit som finns, t.ex. origin/main "
            "(en gren från GitHub kan behöva hämtas först: git fetch origin)."
        )
    commit = resolved.stdout.decode().strip()
    if not _git(root, "ls-tree", "-d", "--name-only", commit, "content").stdout.strip():
        return
    archive = _git(root, "archive", "--format=tar", commit, "content")
    if archive.returncode != 0:
        raise DiffError(f"Innehållet i '{ref}' kan inte läsas ur git: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # Python before 3.11.4; the archive comes from the repository itself.
            tar.extractall(target)  # noqa: S202


# ---------------------------------------------------------------- word diff


def word_diff(old: str, new: str, context: int = 4, limit: int = 40) -> str:
    """The changed words, with a few words around them; long diffs are cut with '…'."""
    before, after = old.split(), new.split()
    if before == after:
        return "bara radbrytningar eller styckeindelning ändrade"
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > 0 and pieces[-1:] != ["…"]:
            pieces.append("…")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                pieces.extend(before[i1:i2])
                continue
            if i2 > i1:
                pieces.append(_DEL + " ".join(_shorten(before[i1:i2])) + _DEL_END)
            if j2 > j1:
                pieces.append(_INS + " ".join(_shorten(after[j1:j2])) + _INS_END)
        if group[-1][2] < len(before):
            pieces.append("…")
    if len(pieces) > limit:
        pieces = [*pieces[:limit], "…"]
    return " ".join(pieces)


def _shorten(words: list[str], keep: int = 16) -> list[str]:
    """A rewritten paragraph shows its first and last words, enough to find it in the file."""
    if len(words) <= keep:
        return words
    return [*words[: keep // 2], "…", *words[-(keep // 2):]]


# ---------------------------------------------------------------- comparing


class Report:
    def __init__(self) -> None:
        self.sections: dict[str, list[str]] = {name: [] for name in SECTIONS}

    def add(self, section: str, line: str) -> None:
        self.sections[section].append(line)

    def adder(self, section: str) -> Callable[[str], None]:
        return lambda line: self.add(section, line)


def _quote(text: Any) -> str:
    return "”" + " ".join(str(text).split()) + "”"


def compare(base: Side, new: Side) -> Report:
    report = Report()
    unreadable = report.adder("Kan inte läsas")
    for side in (base, new):
        if not side.exists:
            unreadable(f"{side.label}: mappen content/ finns inte; allt räknas som nytt eller borttaget.")
        for name, reason in side.unreadable.items():
            unreadable(f"{side.label}: {name}: {reason}")
        for note in side.notes:
            unreadable(f"{side.label}: {note}")
    _compare_questions(base, new, report)
    _compare_fees(base, new, report.adder("Avgifter"))
    _compare_categories(base, new, report.adder("Kategorier"))
    _compare_settings(base, new, report.adder("Webbplatsens inställningar"))
    _compare_redirects(base, new, report.adder("Omdirigeringar"))
    return report


def _uncertain(side: Side) -> str:
    """The caveat for 'missing on this side' when a question file on this side is unreadable."""
    return " (osäkert: en fil med frågor kan inte läsas, se ovan)" if side.faq_unreadable else ""


def _compare_questions(base: Side, new: Side, report: Report) -> None:
    questions, answers = report.adder("Frågor"), report.adder("Svar")
    new_aliases = new.alias_targets()
    # Entries in a file the other side cannot read would all look added or removed: skip them.
    gone = [entry for entry in base.entries.values() if entry.id not in new.entries and entry.file not in new.unreadable]
    renamed: dict[str, list[str]] = {}
    for entry in gone:
        target = new_aliases.get(entry.id)
        if target and target not in base.entries:
            renamed.setdefault(target, []).append(entry.id)
    renamed_ids = {old for olds in renamed.values() for old in olds}

    pairs: list[tuple[Question, Question]] = []
    for entry in new.entries.values():
        if entry.id in base.entries:
            pairs.append((base.entries[entry.id], entry))
        elif entry.id in renamed:
            for old in renamed[entry.id]:
                questions(f"Nytt id: {url(old)} → {url(entry.id)} (den gamla adressen skickas vidare).")
            pairs.append((base.entries[renamed[entry.id][0]], entry))
        elif entry.file not in base.unreadable:
            questions(f"Ny fråga: {url(entry.id)} (id {entry.id}, kategori {_quote(new.category_title(entry.category))}): "
                      f"{_quote(entry.question)}{_uncertain(base)}")
    for entry in gone:
        if entry.id in renamed_ids:
            continue
        target = new_aliases.get(entry.id)
        outcome = (f"adressen skickas nu vidare till {url(target)}" if target
                   else f"adressen slutar fungera{_uncertain(new)}")
        questions(f"Borttagen fråga: {url(entry.id)} ({_quote(entry.question)}); {outcome}.")

    reviewed: list[str] = []
    for old, entry in pairs:
        where = url(entry.id)
        if old.category != entry.category:
            questions(f"Flyttad: {where} från kategorin {_quote(base.category_title(old.category))} "
                      f"till {_quote(new.category_title(entry.category))}.")
        if old.question.split() != entry.question.split():
            questions(f"Ny frågetext på {where}: {_quote(old.question)} → {_quote(entry.question)}")
        if old.related != entry.related:
            questions(f"Relaterade frågor på {where}: {_related_change(old.related, entry.related)}.")
        if old.answer != entry.answer:
            answers(f"{where}: {word_diff(old.answer, entry.answer)}")
        if old.reviewed != entry.reviewed:
            reviewed.append(where)
    if reviewed:
        answers(f"Nytt datum för ”Senast granskad” på {len(reviewed)} "
                f"{'fråga' if len(reviewed) == 1 else 'frågor'}: {', '.join(reviewed)}")


def _related_change(old: list[str], new: list[str]) -> str:
    parts = [f"ny länk till {url(entry_id)}" for entry_id in new if entry_id not in old]
    parts += [f"länken till {url(entry_id)} tas bort" for entry_id in old if entry_id not in new]
    return ", ".join(parts) or "ny ordning"


def _flatten(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Leaf values by key path; lists are one value, as they are shown as one."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _flatten(item, (*path, str(key)))
    else:
        yield path, value


FactKey = tuple[str, str, tuple[str, ...]]
"""(section, occurrence, path): section and occurrence are '' for undated fields; the
occurrence is a dated block's valid_from (numbered if the same date comes twice)."""


def _fee_facts(data: dict) -> tuple[dict[FactKey, Any], dict[tuple[str, str], dict]]:
    facts: dict[FactKey, Any] = {}
    meta: dict[tuple[str, str], dict] = {}
    for key, value in data.items():
        section = str(key)
        if not (isinstance(value, list) and value and all(isinstance(item, dict) for item in value)):
            for path, leaf in _flatten(value, (section,)):
                facts[("", "", path)] = leaf
            continue
        seen: Counter[str] = Counter()
        for number, item in enumerate(value, start=1):
            when = str(item["valid_from"]) if item.get("valid_from") is not None else f"post {number}"
            seen[when] += 1
            occurrence = when if seen[when] == 1 else f"{when} ({seen[when]})"
            meta[(section, occurrence)] = {name: item.get(name) for name in META_FIELDS}
            fields = {str(name): item[name] for name in item if name not in (*META_FIELDS, "valid_from")}
            if section == "free_age" and ({"rule", "age"} & fields.keys()):
                # Rule and age only mean something together ("gratis under 20 år").
                fields = {"regel": (fields.pop("rule", None), fields.pop("age", None)), **fields}
            for path, leaf in _flatten(fields):
                facts[(section, occurrence, path)] = leaf
    return facts, meta


def _kronor(amount: int | float) -> str:
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    return f"{amount:,}".replace(",", " ").replace(".", ",") + " kr"


def _age_rule(rule: Any, age: Any) -> str:
    if rule == "under":
        return f"gratis under {age} år"
    if rule == "end-of-year":
        return f"gratis till och med det år man fyller {age}"
    if rule == "unknown":
        return "okänd"
    return f"regel {rule}, ålder {age}"


def _fee_value(section: str, path: tuple[str, ...], value: Any, unit: Any) -> str:
    if isinstance(value, tuple):
        return _age_rule(*value)
    if value is None:
        return {"fees": "okänd (ingen källa)", "cap": "det nationella taket"}.get(section, "inget värde")
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        in_kronor = (section in ("fees", "cap") or (section == "rules" and path[:1] in (("default",), ("regions",)))
                     or (section == "values" and unit == "kr"))
        if in_kronor:
            return _kronor(value)
        return f"{value} {unit}" if section == "values" and unit else str(value)
    if isinstance(value, list):
        return ", ".join(CONTACT_NAMES.get(str(item), str(item)) for item in value) or "inga"
    if isinstance(value, dict):
        return "inga"
    if value == "vardcentral-besok":
        return "samma som ett besök på plats på vårdcentralen"
    return _quote(value)


def _fee_label(section: str, path: tuple[str, ...], regions: dict[str, str]) -> str:
    if section == "fees" and len(path) == 3 and path[0] == "vardcentral":
        return (f"vårdcentral, {PROFESSION_NAMES.get(path[1], path[1])}, "
                f"{CONTACT_NAMES.get(path[2], path[2])}")
    if section and path == ("note",):
        return "förklaring" if section == "values" else f"förklaring till {SECTION_NAMES.get(section, section)}"
    if (section, path) == ("cap", ("value",)):
        return "högkostnadstak"
    if (section, path) == ("free_age", ("regel",)):
        return "avgiftsfri ålder"
    if (section, path) == ("values", ("value",)):
        return ""
    if section == "rules":
        if path == ("default",):
            return "övriga regioner"
        if path[:1] == ("regions",) and len(path) >= 2:
            return ", ".join([regions.get(path[1], path[1]), *(CONTACT_NAMES.get(part, part) for part in path[2:])])
    words = [section, *path] if section else list(path)
    return ", ".join(FIELD_NAMES.get(word, PROFESSION_NAMES.get(word, CONTACT_NAMES.get(word, word))) for word in words)


def _when(occurrence: str) -> str:
    if not occurrence:
        return ""
    if _DATE.match(occurrence.split(" ")[0]):
        return f" från {occurrence}"
    return f" ({occurrence}, utan valid_from)"


def _fee_owner(relative: str, data: dict) -> str:
    if relative.startswith("regioner/"):
        return str(data.get("name") or Path(relative).stem)
    if relative == "nationell.yml":
        return "Nationella digitala mottagningen"
    return PARAMETER_NAMES.get(relative, f"content/fees/{relative}")


def _previous(facts: dict[FactKey, Any], key: FactKey) -> tuple[bool, Any]:
    """The value the same fact had in the latest earlier dated block, if any."""
    section, occurrence, path = key
    earlier = [other for other in facts
               if other[0] == section and other[2] == path and _DATE.match(other[1]) and other[1] < occurrence]
    if not earlier or not _DATE.match(occurrence):
        return False, None
    return True, facts[max(earlier, key=lambda other: other[1])]


def _compare_fees(base: Side, new: Side, out: Callable[[str], None]) -> None:
    regions = {Path(relative).stem: str(data["name"])
               for side in (base, new) for relative, data in side.fees.items()
               if relative.startswith("regioner/") and data.get("name")}
    for relative in sorted(base.fees.keys() | new.fees.keys()):
        name = f"content/fees/{relative}"
        if name in base.unreadable or name in new.unreadable:
            continue
        old, current = base.fees.get(relative), new.fees.get(relative)
        who = _fee_owner(relative, current if current is not None else old)
        if current is None:
            out(f"varning: {who}: filen {name} tas bort, med alla uppgifter i den.")
            continue
        if old is None:
            out(f"{who}: ny fil {name}.")
        old_facts, old_meta = _fee_facts(old or {})
        new_facts, new_meta = _fee_facts(current)
        unit = current.get("unit", (old or {}).get("unit"))

        def shown(key: FactKey, value: Any) -> str:
            return _fee_value(key[0], key[2], value, unit)

        for key in [*new_facts, *(key for key in old_facts if key not in new_facts)]:
            section, occurrence, path = key
            label = _fee_label(section, path, regions)
            prefix = f"{who}: {label}: " if label else f"{who}: "
            when = _when(occurrence)
            if key in old_facts and key in new_facts:
                if old_facts[key] != new_facts[key]:
                    out(f"{prefix}{shown(key, old_facts[key])} → {shown(key, new_facts[key])}{when}")
            elif key in new_facts:
                found, before = _previous(new_facts, key)
                status = new_meta.get((section, occurrence), {}).get("status")
                remarks = ["ny uppgift"]
                if status not in (None, "primär"):
                    remarks.append(STATUS_NAMES.get(str(status), str(status)))
                if found:
                    same = before == new_facts[key]
                    remarks.append("samma som tidigare" if same else f"tidigare {shown(key, before)}")
                out(f"{prefix}{shown(key, new_facts[key])}{when} ({', '.join(remarks)})")
            else:
                out(f"{prefix}{shown(key, old_facts[key])}{when} tas bort")

        checked = 0
        for block in new_meta.keys() & old_meta.keys():
            before, after = old_meta[block], new_meta[block]
            if before["status"] != after["status"]:
                section, occurrence = block
                status = [STATUS_NAMES.get(str(value), str(value)) for value in (before["status"], after["status"])]
                out(f"{who}: {SECTION_NAMES.get(section, section)}{_when(occurrence)}: {status[0]} → {status[1]}")
            if any(before[name] != after[name] for name in ("source", "url", "source_date", "checked", "valid_from_basis", "old")):
                checked += 1
        if checked:
            out(f"{who}: källa eller kontrolldatum ändrat ({checked} {'uppgift' if checked == 1 else 'uppgifter'}).")


def _setting_value(value: Any) -> str:
    if value is None:
        return "tomt"
    if isinstance(value, list):
        return " / ".join(_setting_value(item) for item in value) or "tomt"
    if isinstance(value, dict):
        return "tomt"
    if isinstance(value, str):
        return _quote(value)
    return str(value)


def _field_change(name: str, old: Any, new: Any, out: Callable[[str], None]) -> None:
    if isinstance(old, str) and isinstance(new, str) and ("\n" in old.strip() or len(old) > 80 or len(new) > 80):
        out(f"{name}: {word_diff(old, new)}")
    else:
        out(f"{name}: {_setting_value(old)} → {_setting_value(new)}")


def _compare_settings(base: Side, new: Side, out: Callable[[str], None]) -> None:
    if base.site is None or new.site is None:
        return
    old = {path: value for key, item in base.site.items() for path, value in _flatten(item, (str(key),))}
    current = {path: value for key, item in new.site.items() for path, value in _flatten(item, (str(key),))}
    for path in [*current, *(path for path in old if path not in current)]:
        name = ".".join(path)
        if path not in old:
            out(f"{name}: nytt värde {_setting_value(current[path])}")
        elif path not in current:
            out(f"{name}: tas bort (var {_setting_value(old[path])})")
        elif old[path] != current[path]:
            _field_change(name, old[path], current[path], out)


def _compare_categories(base: Side, new: Side, out: Callable[[str], None]) -> None:
    if base.categories is None or new.categories is None:
        return
    for category_id, category in new.categories.items():
        page = f"/kategori/{category_id}/"
        if category_id not in base.categories:
            out(f"Ny kategori: {_quote(category.get('title') or category_id)} ({page}).")
            continue
        old = base.categories[category_id]
        for key in [*category, *(key for key in old if key not in category)]:
            if key != "id" and old.get(key) != category.get(key):
                _field_change(f"Kategorin {page}: {FIELD_NAMES.get(str(key), str(key))}", old.get(key),
                              category.get(key), out)
    for category_id, category in base.categories.items():
        if category_id not in new.categories:
            out(f"varning: kategorin {_quote(category.get('title') or category_id)} (/kategori/{category_id}/) "
                "tas bort; adressen slutar fungera.")


def _compare_redirects(base: Side, new: Side, out: Callable[[str], None]) -> None:
    old_aliases, new_aliases = base.alias_targets(), new.alias_targets()
    for alias, target in new_aliases.items():
        if alias not in old_aliases:
            out(f"Ny omdirigering: {url(alias)} → {url(target)}")
        elif old_aliases[alias] != target:
            out(f"Omdirigeringen {url(alias)} leder nu till {url(target)} (förut {url(old_aliases[alias])}).")
    for alias, target in old_aliases.items():
        owner = base.entries.get(target)
        if alias in new_aliases or (owner is not None and owner.file in new.unreadable):
            continue
        if alias in new.entries:
            out(f"Omdirigeringen {url(alias)} → {url(target)} tas bort; adressen visar nu en egen fråga.")
        else:
            out(f"varning: omdirigeringen {url(alias)} → {url(target)} tas bort; adressen slutar fungera{_uncertain(new)}.")

    served = new.served()
    for address in base.published or []:
        if address not in served:
            out(f"fel: publicerad adress slutar fungera: {address}{_uncertain(new)}. Skriv det gamla id:t under "
                "'aliases:' på frågan som ersätter den, eller återställ frågan.")
    if base.published is not None and new.published is not None:
        kept = set(new.published)
        for address in base.published:
            if address not in kept:
                out(f"varning: {address} har tagits bort ur content/publicerade-adresser.txt; "
                    "ta aldrig bort en rad där.")


# ---------------------------------------------------------------- output


def _plain(line: str) -> str:
    for marker, text in _MARKERS.items():
        line = line.replace(marker, text)
    return line


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _markdown(line: str) -> str:
    return _plain(_MARKDOWN_SPECIAL.sub(r"\\\1", line))


def render(report: Report, ref: str, markdown: bool = False) -> str:
    title = f"Ändringar för patienter jämfört med {ref}"
    lines = [f"### {_markdown(title)}" if markdown else title, ""]
    for name in SECTIONS:
        items = report.sections[name]
        if not items:
            continue
        if markdown:
            lines += [f"#### {name}", "", *(f"- {_markdown(item)}" for item in items), ""]
        else:
            lines += [name, *(f"  - {_plain(item)}" for item in items), ""]
    if not any(report.sections[name] for name in SECTIONS[1:]):
        lines += ["Inga ändringar som patienter ser i de filer som kunde läsas." if report.sections[SECTIONS[0]]
                  else NOTHING, ""]
    return "\n".join(lines).rstrip("\n")


def parse_arguments(arguments: list[str]) -> tuple[str, bool]:
    base, markdown = None, False
    remaining = list(arguments)
    while remaining:
        argument = remaining.pop(0)
        if argument == "--markdown":
            markdown = True
        elif argument == "--base" and remaining:
            base = remaining.pop(0)
        elif argument.startswith("--base="):
            base = argument.removeprefix("--base=")
        else:
            raise DiffError(f"Okänt argument '{argument}'. Skriv: {USAGE}")
    if not base:
        raise DiffError(f"Ange vilken version du jämför med, t.ex. --base origin/main. Skriv: {USAGE}")
    return base, markdown


def main(root: Path, arguments: list[str]) -> int:
    if {"-h", "--help"} & set(arguments):
        print(f"{USAGE}\n\nVisar vad ändringarna i content/ innebär för patienter, jämfört med en tidigare "
              "version (en gren, tagg eller commit). --markdown skriver ut Markdown för GitHubs sammanfattning.")
        return 0
    ref, markdown = parse_arguments(arguments)
    with tempfile.TemporaryDirectory(prefix="portal-diff-") as temporary:
        extract_content(root, ref, Path(temporary))
        base = read_side(Path(temporary), f"före ({ref})")
    new = read_side(root, "efter (arbetskopian)")
    print(render(compare(base, new), ref, markdown))
    return 0
