"""Fee data in `content/fees/`: validated with file and line, compiled for the calculator.

The folder path is the lookup path, as in OpenFisca's parameters:
`hogkostnadsskydd/nationellt_tak.yml` is the parameter `hogkostnadsskydd.nationellt_tak`,
`regioner/SE-AB.yml` is Region Stockholm, `nationell.yml` the national online clinic. Each kind
has its JSON Schema in `schemas/` beside this module. The compiled document is what
`FeeTables.from_dict` reads, natively and (as `fees.json` in the wheel) in the browser.

Beyond the schemas, the compiler refuses what would mislead a patient or an auditor: a stored
national cap that the law's formula, applied to that year's prisbasbelopp, contradicts; a
source date that is no date or lies after the day the source was checked; and a status that
contradicts the value (`okänd` for a known value, or a known status for an unknown one).

The national clinic's display name is no fee fact, but the calculator's texts need it: it comes
from `content/site.yml` (`national_clinic.name`), which the portal validates and passes in, and
which `compile_fees` reads on its own when run without the portal (the command line).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..data import FeeTables, latest
from ..rules import CAP_ROUNDING, CAP_SHARE, NATIONAL_CAP, PRISBASBELOPP, cap_by_formula, share_text
from .problems import Problem, SourceError
from .schema import is_date, read_and_validate
from .yamlfile import LineDict, LineList, YamlFile

SITE_FILE = Path("content") / "site.yml"
"""Where the site's settings are; the national clinic's name is read from there."""

FEES_DIR = Path("content") / "fees"
"""Where the fee data is, relative to the repository root."""
REGION_CODES = (
    "SE-AB", "SE-AC", "SE-BD", "SE-C", "SE-D", "SE-E", "SE-F", "SE-G", "SE-H", "SE-I", "SE-K",
    "SE-M", "SE-N", "SE-O", "SE-S", "SE-T", "SE-U", "SE-W", "SE-X", "SE-Y", "SE-Z",
)
"""Sweden's 21 regions (ISO 3166-2:SE). Each must have a file, even if its fees are unknown."""
_REGION_CODE = re.compile(r"SE-[A-Z]{1,2}")


def _plain(value):
    """Data as read (with line numbers) -> plain JSON-ready Python values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _schema_for(relative: Path) -> str:
    if relative.parts[0] == "regioner":
        return "fee-region"
    if relative.as_posix() == "nationell.yml":
        return "fee-national-clinic"
    return "fee-parameter"


def load_fee_document(root: Path, problems: list[Problem], files: dict | None = None, *,
                      national_clinic_name: str | None = None) -> dict:
    """Read every fee file, record every problem, and return the compiled document. When
    `files` is given, each file's data as read (with its line numbers) is put in it by path.
    `national_clinic_name` (site.yml's) goes into the document for the calculator's texts."""
    fees_dir = root / FEES_DIR
    document: dict = {"parameters": {}, "regions": {}, "national_clinic": []}
    if national_clinic_name:
        document["national_clinic_name"] = national_clinic_name
    if not fees_dir.is_dir():
        problems.append(Problem(FEES_DIR.as_posix(), 0, "-", "mappen saknas; avgiftsdata behövs för kalkylatorn."))
        return document
    for path in sorted(fees_dir.rglob("*")):
        if path.is_file() and path.suffix != ".yml":
            problems.append(Problem(path.relative_to(root).as_posix(), 0, "-", (
                "filen läses inte: avgiftsdata ska ligga i filer som slutar på .yml."
            )))
    parameter_files: dict[str, YamlFile] = {}
    for path in sorted(fees_dir.rglob("*.yml")):
        relative = path.relative_to(fees_dir)
        schema = _schema_for(relative)
        loaded, valid = read_and_validate(path, root, schema, problems, empty=(
            "filen är tom (eller bara kommentarer). Fyll i den, eller ta bort den om uppgiften "
            "inte ska finnas; okända avgifter skrivs som null."
        ))
        if files is not None and loaded.data is not None:
            files[loaded.display] = loaded.data
        if not valid or not isinstance(loaded.data, LineDict):
            continue
        _check_dates(loaded, problems)
        _check_provenance(loaded, schema, problems)
        data = _plain(loaded.data)
        _with_full_provenance(data)
        if schema == "fee-region":
            if not _REGION_CODE.fullmatch(path.stem):
                problems.append(Problem(loaded.display, 0, "-", (
                    f"'{path.stem}' är ingen regionkod; döp filen efter koden i ISO 3166-2:SE, t.ex. SE-AB.yml."
                )))
                continue
            if path.stem not in REGION_CODES:
                problems.append(Problem(loaded.display, 0, "-", (
                    f"'{path.stem}' är ingen av Sveriges 21 regioner; koderna är {', '.join(REGION_CODES)}."
                )))
                continue
            document["regions"][path.stem] = data
        elif schema == "fee-national-clinic":
            document["national_clinic"] = data["rules"]
        else:
            name = ".".join(relative.with_suffix("").parts)
            document["parameters"][name] = data
            parameter_files[name] = loaded
    _check_cap_formula(document, parameter_files, problems)
    for code in REGION_CODES:
        if not (fees_dir / "regioner" / f"{code}.yml").is_file():
            problems.append(Problem(f"{FEES_DIR.as_posix()}/regioner/{code}.yml", 0, "-", (
                "filen saknas. Varje region behöver en fil; skriv null för avgifter som inte är kända."
            )))
    return document


def _check_dates(loaded: YamlFile, problems: list[Problem]) -> None:
    """Two values of one list may not start on the same day (which one would apply?)."""
    for key, items in loaded.data.items():
        if not isinstance(items, LineList) or not all(isinstance(item, dict) for item in items):
            continue
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            valid_from = item.get("valid_from")
            if valid_from is None:
                continue
            line = items.line_of(index)
            if valid_from in seen:
                problems.append(Problem(loaded.display, line, f"{key}[{index}].valid_from", (
                    f"det finns redan ett värde från {valid_from} (rad {seen[valid_from]}); "
                    "ett datum kan bara ha ett värde. Ändra datumet eller slå ihop värdena."
                )))
            seen[valid_from] = line


PROVENANCE_DEFAULTS = {"url": None, "source_date": None, "valid_from_basis": "källan", "old": False}
"""What an optional provenance field left out of a fee file means; the compiled document says it
outright for every dated value, so that fees.json can be audited without the schemas."""


def _with_full_provenance(data) -> None:
    """Every dated value in the compiled document gets every provenance field, and a year
    written without quotes (source_date: 2020, read as a number) becomes ISO text."""
    if isinstance(data, dict):
        if "valid_from" in data:
            for key, default in PROVENANCE_DEFAULTS.items():
                data.setdefault(key, default)
            if isinstance(data["source_date"], int) and not isinstance(data["source_date"], bool):
                data["source_date"] = str(data["source_date"])
        for value in data.values():
            _with_full_provenance(value)
    elif isinstance(data, list):
        for value in data:
            _with_full_provenance(value)


def _check_provenance(loaded: YamlFile, schema: str, problems: list[Problem]) -> None:
    """Each dated value's source date is a real date no later than its check, and its status
    agrees with whether the value is known."""
    for key, items in loaded.data.items():
        if not isinstance(items, LineList):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, LineDict):
                continue
            where = f"{key}[{index}]"
            source_date = item.get("source_date")
            text = str(source_date) if isinstance(source_date, (str, int)) and not isinstance(source_date, bool) else None
            if text is not None and len(text) == 10 and not is_date(text):
                problems.append(Problem(loaded.display, item.line_of("source_date"), f"{where}.source_date", (
                    f"'{text}' är inget giltigt datum; skriv källans datum som ÅÅÅÅ-MM-DD, eller bara året som ÅÅÅÅ."
                )))
            elif text is not None and is_date(item.get("checked")) and text > str(item["checked"])[:len(text)]:
                problems.append(Problem(loaded.display, item.line_of("source_date"), f"{where}.source_date", (
                    f"källans datum {text} ligger efter dagen den kontrollerades ({item['checked']}); "
                    "rätta source_date eller checked."
                )))
            status = item.get("status")
            unknown = (
                item.get("value", 0) is None if schema == "fee-parameter" and key == "values"
                else item.get("rule") == "unknown" if key == "free_age"
                else None
            )
            if unknown is True and status not in (None, "okänd"):
                problems.append(Problem(loaded.display, item.line_of("status"), f"{where}.status", (
                    f"uppgiften är okänd ({'value: null' if key == 'values' else 'rule: unknown'}), så status ska "
                    "vara okänd; skriv status: okänd, eller fyll i uppgiften från en källa."
                )))
            elif unknown is False and status == "okänd":
                problems.append(Problem(loaded.display, item.line_of("status"), f"{where}.status", (
                    "status okänd passar bara en okänd uppgift; skriv vilken sorts källa uppgiften bygger på "
                    "(primär, sekundär, beräknad eller antagen)."
                )))


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


def _check_cap_formula(document: dict, files: dict[str, YamlFile], problems: list[Problem]) -> None:
    """A stored national cap must be what the law's formula gives from that year's
    prisbasbelopp (a lower cap a region decided goes in the region's file, under cap:)."""
    tables = FeeTables.from_dict({"parameters": {
        name: item for name, item in document["parameters"].items() if name in files
    }, "regions": {}, "national_clinic": []})
    caps, bases = tables.parameters.get(NATIONAL_CAP), tables.parameters.get(PRISBASBELOPP)
    if caps is None or bases is None or NATIONAL_CAP not in files or PRISBASBELOPP not in files:
        return
    cap_file, base_file = files[NATIONAL_CAP], files[PRISBASBELOPP]
    for index, cap in enumerate(caps.values):
        base = latest(bases.values, cap.valid_from)
        share, step = tables.parameter(CAP_SHARE, cap.valid_from), tables.parameter(CAP_ROUNDING, cap.valid_from)
        if (cap.value is None or base is None or base.value is None or base.valid_from.year != cap.valid_from.year
                or share is None or not share.value or step is None or not step.value):
            continue
        expected = cap_by_formula(base.value, share.value, step.value)
        if cap.value == expected:
            continue
        base_line = base_file.data["values"].line_of(bases.values.index(base))
        item = cap_file.data["values"][index]
        problems.append(Problem(cap_file.display, item.line_of("value"), f"values[{index}].value", (
            f"högkostnadstaket {_kr(cap.value)} för {cap.valid_from.year} stämmer inte med lagens regel: "
            f"{share_text(share.value)} × prisbasbeloppet {_kr(base.value)} ({base_file.display} rad {base_line}), "
            f"avrundat nedåt till närmaste {_kr(step.value)}, blir {_kr(expected)}. Rätta taket eller "
            "prisbasbeloppet; ett lägre tak som en region har beslutat skrivs under cap: i regionens fil."
        )))


def compile_fees(root: Path, *, national_clinic_name: str | None = None) -> dict:
    """The compiled fee document for `root` (the folder that holds content/); raises
    SourceError, listing every problem, on any. Without `national_clinic_name` the name is read
    from content/site.yml when it gives one."""
    problems: list[Problem] = []
    if national_clinic_name is None:
        national_clinic_name = site_national_clinic_name(root)
    document = load_fee_document(root, problems, national_clinic_name=national_clinic_name)
    if problems:
        raise SourceError(problems)
    return document


def site_national_clinic_name(root: Path) -> str | None:
    """`national_clinic.name` from content/site.yml, or None when the file is missing, does not
    parse or gives no name. A broken site.yml is the portal check's to report: the calculator
    then names the clinic neutrally rather than refuse to calculate."""
    path = root / SITE_FILE
    return national_clinic_name_in(YamlFile.read(path, root).data) if path.is_file() else None


def national_clinic_name_in(site) -> str | None:
    """The national clinic's name in site.yml's data as read, or None when it gives none."""
    clinic = site.get("national_clinic") if isinstance(site, dict) else None
    name = clinic.get("name") if isinstance(clinic, dict) else None
    return str(name).strip() if isinstance(name, str) and name.strip() else None
