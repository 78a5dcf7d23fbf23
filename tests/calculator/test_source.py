"""The calculator stands alone: it imports nothing from portal/, reads the fee YAML through its
own `patientavgift.source`, and answers broken data of any kind with a Swedish message naming
the file (and line), exit code 2 and `{"error": ...}` with --json: never a traceback.

The real-process tests run a copy of the package beside a copy of the test content, as a
checkout without portal/, in a Python that cannot import portal at all."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import patientavgift
from patientavgift.cli import DATA_ENVIRONMENT, load_tables, main
from patientavgift.errors import CalculatorError, InputError
from patientavgift.source import SourceError, compile_fees

from .conftest import FIXTURES
from .test_cli import EXAMPLE, replaced

PACKAGE = Path(patientavgift.__file__).resolve().parent
BROWSER_MODULES = sorted(PACKAGE.glob("*.py"))
"""The modules the browser's wheel carries: all but the subpackage source/."""
BROKEN_REGION = "content/fees/regioner/SE-Y.yml"
"""A region no test visit is in: its mistakes must still stop the calculator, with a message."""


# --- What the package imports ------------------------------------------------------------------

def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, whether at the module's top level) for each import in `path`;
    a relative import is made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found += [(module, node.lineno, id(node) in top)]
            found += [(f"{module}.{alias.name}", node.lineno, id(node) in top) for alias in node.names]
    return found


def test_no_module_of_the_package_imports_portal():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert any(path.parent.name == "source" for path in modules)
    for path in modules:
        for module, line, _ in imports(path):
            assert module.split(".")[0] != "portal", f"{path}:{line} importerar {module}"


def test_only_the_source_subpackage_imports_yaml():
    for path in sorted(PACKAGE.rglob("*.py")):
        for module, line, _ in imports(path):
            if module.split(".")[0] == "yaml":
                assert "source" in path.relative_to(PACKAGE).parts, f"{path}:{line} importerar yaml"


def test_no_module_the_browser_loads_needs_the_source_subpackage():
    """The browser's wheel leaves source/ out: only the command line's loader imports it, and only
    when it reads the YAML."""
    for path in BROWSER_MODULES:
        for module, line, top_level in imports(path):
            if module.startswith("patientavgift.source"):
                assert path.name == "cli.py" and not top_level, f"{path}:{line} importerar {module}"


# --- The loader, in this process ---------------------------------------------------------------

@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the test content as a checkout's content/ (without portal/)."""
    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    return tmp_path


def break_region(root: Path, old: str, new: str) -> int:
    """Replace `old` by `new` once in the broken region's file; the line it is on."""
    path = root / BROKEN_REGION
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_checkout_yaml_is_read_through_the_packages_own_loader(checkout):
    tables, data_file = load_tables(None, checkout)
    assert data_file is None
    assert tables.national_clinic_name == "Exempelvården Direkt"  # from the copy's site.yml
    assert set(tables.regions) == set(compile_fees(FIXTURES)["regions"])


@pytest.mark.parametrize("old, new, expected", [
    ("name: ", "name: [", "YAML-syntaxfel"),
    ("status: sekundär", "status: bekräftad", "'bekräftad' är inte tillåtet"),
], ids=["yaml-syntax", "schema"])
def test_a_broken_unrelated_region_is_a_located_error(checkout, old, new, expected):
    line = break_region(checkout, old, new)
    with pytest.raises(SourceError) as raised:
        load_tables(None, checkout)
    assert raised.value.exit_code == 2 and raised.value.field == "data"
    assert raised.value.message.startswith(f"Avgiftsdatan har ett fel: {BROKEN_REGION}:{line}: ")
    assert expected in raised.value.message and "python3 build.py check" in raised.value.message


def test_several_problems_name_the_first_and_the_command_that_lists_them(checkout):
    break_region(checkout, "status: sekundär", "status: bekräftad")
    (checkout / "content" / "fees" / "regioner" / "SE-Z.yml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_tables(None, checkout)
    assert raised.value.message.startswith(f"Avgiftsdatan har 2 fel. Det första: {BROKEN_REGION}:")
    assert raised.value.message.endswith("Kör python3 build.py check för att se alla.")


def test_a_missing_site_yml_gives_the_neutral_name(checkout):
    (checkout / "content" / "site.yml").unlink()
    tables, _ = load_tables(None, checkout)
    assert tables.national_clinic_name == patientavgift.data.NATIONAL_CLINIC_NAME


def test_a_broken_site_yml_does_not_stop_the_calculator(checkout):
    (checkout / "content" / "site.yml").write_text("national_clinic: [\n", encoding="utf-8")
    tables, _ = load_tables(None, checkout)
    assert tables.national_clinic_name == patientavgift.data.NATIONAL_CLINIC_NAME


# --- JSON data that is not fee data ------------------------------------------------------------

def run_json(capsys, arguments: list[str]) -> tuple[int, dict, str]:
    code = main([*arguments, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


@pytest.mark.parametrize("text, expected", [
    ('{"regions": {}}', "filen är inte kalkylatorns avgiftsdata (fältet 'parameters' saknas)"),
    ("[1, 2, 3]", "filen är inte kalkylatorns avgiftsdata (uppgifterna har inte avgiftsdatans form)"),
    ('"fees"', "filen är inte kalkylatorns avgiftsdata"),
    ("", ":1: filen är inte giltig JSON"),
    ('{\n "parameters": {},\n "regions": {\n', ":4: filen är inte giltig JSON"),
], ids=["object", "list", "text", "empty", "cut-off"])
def test_a_json_file_that_is_not_fee_data_is_refused_with_its_name(capsys, tmp_path, text, expected):
    data = tmp_path / "avgifter.json"
    data.write_text(text, encoding="utf-8")
    code, answer, err = run_json(capsys, [*EXAMPLE, "--data", str(data)])
    assert code == 2 and err == ""
    assert list(answer) == ["error"]
    assert answer["error"].startswith(str(data)) and expected in answer["error"]


def test_a_wrong_value_deep_in_the_json_is_refused_too(capsys, tmp_path, fee_document):
    """A JSON file is read only as far as the rules need it: a fee that is text shows only when
    the visit is calculated, and is refused then, naming the file."""
    changed = json.loads(json.dumps(fee_document))
    changed["regions"]["SE-AB"]["fees"][0]["vardcentral"]["alla"]["besok"] = "275 kr"
    data = tmp_path / "avgifter.json"
    data.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    code, answer, _ = run_json(capsys, [*replaced(EXAMPLE, "--paid", "0"), "--data", str(data)])
    assert code == 2
    assert answer == {"error": (f"{data}: filen är inte kalkylatorns avgiftsdata (ett värde har fel form). Ange "
                                "avgiftsdata i JSON, gjord av content/fees/ (python3 build.py gör den).")}


def test_a_data_file_that_is_not_utf8_is_refused(capsys, tmp_path):
    data = tmp_path / "avgifter.json"
    data.write_bytes(b'{"parameters": "\xf6"}')
    code, answer, _ = run_json(capsys, [*EXAMPLE, "--data", str(data)])
    assert code == 2 and "filen är inte text i UTF-8" in answer["error"]


def test_the_environment_variable_is_read_the_same_way(capsys, tmp_path, monkeypatch):
    data = tmp_path / "avgifter.json"
    data.write_text("{}", encoding="utf-8")
    monkeypatch.setenv(DATA_ENVIRONMENT, str(data))
    code, answer, _ = run_json(capsys, EXAMPLE)
    assert code == 2 and answer["error"].startswith(f"{data}: filen är inte kalkylatorns avgiftsdata")


def test_without_yaml_data_and_without_a_bundled_copy_the_calculator_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_ENVIRONMENT, raising=False)
    monkeypatch.setattr(patientavgift.cli, "BUNDLED", tmp_path / "fees.json")
    with pytest.raises(InputError) as raised:
        load_tables(None, checkout=tmp_path)  # no content/fees/ there
    assert "--data" in raised.value.message and raised.value.field == "data"


# --- A real process, without portal ------------------------------------------------------------

@pytest.fixture
def standalone(checkout: Path) -> Path:
    """A checkout with only calculators/ and content/: the package copied beside the test
    content, so that it reads that content's YAML."""
    shutil.copytree(PACKAGE, checkout / "calculators" / "patientavgift",
                    ignore=shutil.ignore_patterns("__pycache__", "fees.json"))
    return checkout


DRIVER = """\
import importlib.util, sys
sys.path[:0] = sys.argv[1:3]
assert importlib.util.find_spec("portal") is None, "portal kan importeras"
from patientavgift.cli import main
code = main(sys.argv[3:])
assert not [name for name in sys.modules if name.split(".")[0] == "portal"]
sys.exit(code)
"""
"""Runs the command line in a Python that cannot import portal (isolated, no site-packages;
only the copied package and PyYAML's folder on its path), and proves it imported none."""


def run_standalone(root: Path, arguments: list[str]) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != DATA_ENVIRONMENT}
    yaml_folder = str(Path(yaml.__file__).resolve().parent.parent)
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", DRIVER, str(root / "calculators"), yaml_folder, *arguments],
        cwd=root, env={**environment, "LANG": "C.UTF-8"}, capture_output=True, text=True, encoding="utf-8",
        timeout=60,
    )


def test_the_program_calculates_from_the_yaml_without_portal(standalone):
    visit = replaced(replaced(EXAMPLE, "--provider", "Exempelvården Direkt"), "--contact", "video")
    completed = run_standalone(standalone, [*visit, "--json"])
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (result["fee"], result["to_pay"]) == (275, 150)
    assert any("hos Exempelvården Direkt" in item["what"] for item in result["basis"])


@pytest.mark.parametrize("old, new", [("name: ", "name: ["), ("status: sekundär", "status: bekräftad")],
                         ids=["yaml-syntax", "schema"])
def test_the_program_answers_a_broken_unrelated_region_without_a_traceback(standalone, old, new):
    line = break_region(standalone, old, new)
    with_json = run_standalone(standalone, [*EXAMPLE, "--json"])
    assert with_json.returncode == CalculatorError.exit_code == 2
    assert with_json.stderr == "", with_json.stderr
    answer = json.loads(with_json.stdout)
    assert list(answer) == ["error"] and f"{BROKEN_REGION}:{line}: " in answer["error"]
    as_text = run_standalone(standalone, EXAMPLE)
    assert as_text.returncode == 2 and as_text.stdout == ""
    assert as_text.stderr.startswith(f"Fel: Avgiftsdatan har ett fel: {BROKEN_REGION}:{line}: ")
    assert "Traceback" not in as_text.stderr


def test_the_program_as_a_module_answers_a_file_that_is_not_fee_data(standalone):
    """`python -m patientavgift` itself, outside the repository, with no site-packages."""
    data = standalone / "avgifter.json"
    data.write_text('{"hej": 1}', encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(standalone / "calculators"), "LANG": "C.UTF-8"}
    completed = subprocess.run(
        [sys.executable, "-S", "-m", "patientavgift", *EXAMPLE, "--json", "--data", str(data)],
        cwd=standalone, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert completed.returncode == 2 and completed.stderr == ""
    assert json.loads(completed.stdout) == {"error": (
        f"{data}: filen är inte kalkylatorns avgiftsdata (fältet 'parameters' saknas). Ange avgiftsdata i "
        "JSON, gjord av content/fees/ (python3 build.py gör den).")}


def test_source_error_is_a_calculator_error_with_every_problem(checkout):
    break_region(checkout, "status: sekundär", "status: bekräftad")
    with pytest.raises(SourceError) as raised:
        compile_fees(checkout)
    assert isinstance(raised.value, CalculatorError)
    assert [problem.file for problem in raised.value.problems] == [BROKEN_REGION]
