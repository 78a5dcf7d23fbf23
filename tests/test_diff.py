"""`python3 build.py diff --base <ref>`: what a pull request changes for patients.

Each test commits a copy of the live content/ in a temporary git repository, edits it the way
an editor would and runs the real command on it. Only what the test itself changed is
asserted: the live content changes all the time, so no count or sentence of it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

# The developer's own git configuration (signing, hooks, templates) must not reach the test repos.
GIT_ENV = {
    **os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
NEW_ID = "testfraga-diff"
NEW_QUESTION = "Hur ser jag vad en ändring betyder för patienter?"
ADDED_SENTENCE = "Ring oss gärna om du undrar något om testfallet."
PHONE = "010-000 11 22"


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(repo), *arguments], check=True, env=GIT_ENV, capture_output=True)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def make_repo(target: Path) -> Path:
    """A git repository whose only commit holds a copy of the live content/."""
    shutil.copytree(ROOT / "content", target / "content")
    git(target, "init", "-q")
    commit(target, "bas")
    return target


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def run_diff(root: Path, *arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real `diff` command (python3 build.py diff) on the repository at `root`."""
    return subprocess.run(
        [sys.executable, "-c", "import sys, pathlib, portal.cli as cli; cli.ROOT = pathlib.Path(sys.argv[1]); "
         "sys.exit(cli.main(['diff', *sys.argv[2:]]))", str(root), *arguments],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )


def kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


def titles(repo: Path) -> dict[str, str]:
    return {category["id"]: category["title"] for category in load(repo / "content" / "categories.yml")}


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One pull request with every kind of change; the report is made once for all tests."""
    repo = tmp_path_factory.mktemp("diff-repo")
    shutil.copytree(ROOT / "content", repo / "content")
    content = repo / "content"
    first_file, second_file = sorted((content / "faq").glob("*.yml"))[:2]
    first, second = load(first_file), load(second_file)
    reworded, renamed, removed = first[0]["id"], first[1]["id"], first[2]["id"]
    moved = second[0]["id"]
    # The removed entry's URL must be a published one, whatever the live list holds today.
    manifest = content / "publicerade-adresser.txt"
    manifest.write_text(manifest.read_text(encoding="utf-8") + f"/fragor/{removed}/\n", encoding="utf-8")
    git(repo, "init", "-q")
    commit(repo, "bas")
    facts = {"repo": repo, "reworded": reworded, "renamed": renamed, "removed": removed, "moved": moved,
             "from_title": titles(repo)[second_file.stem], "to_title": titles(repo)[first_file.stem]}

    first[0]["answer"] = first[0]["answer"].rstrip() + f"\n\n{ADDED_SENTENCE}\n"
    first[1]["id"] = f"{renamed}-nytt"
    first[1]["aliases"] = [*first[1].get("aliases", []), renamed]
    del first[2]
    first.append(second.pop(0))
    first.append({"id": NEW_ID, "question": NEW_QUESTION, "answer": "Läs sammanfattningen.\n", "reviewed": "2026-11-25"})
    dump(first_file, first)
    dump(second_file, second)

    regions = sorted((content / "fees" / "regioner").glob("SE-*.yml"))
    fee_region = load(regions[0])
    fee_region["fees"].append({"valid_from": "2031-01-01", "source": "Testkälla", "checked": "2026-11-25",
                               "status": "verified", "vardcentral": {"lakare": {"besok": 1234}}})
    dump(regions[0], fee_region)
    cap_region = load(regions[1])
    cap_region.setdefault("cap", []).append({"valid_from": "2031-01-01", "value": 1100, "source": "Testkälla",
                                             "checked": "2026-11-25", "status": "verified"})
    dump(regions[1], cap_region)
    checked_region = load(regions[2])
    checked_region["fees"][0]["checked"] = "2031-12-31"
    dump(regions[2], checked_region)
    national_cap_file = content / "fees" / "hogkostnadsskydd" / "nationellt_tak.yml"
    national_cap = load(national_cap_file)
    facts["old_cap"], facts["cap_from"] = national_cap["values"][-1]["value"], str(national_cap["values"][-1]["valid_from"])
    national_cap["values"][-1]["value"] = 1999
    dump(national_cap_file, national_cap)

    site = load(content / "site.yml")
    facts["old_phone"] = site["support"]["phone"]
    site["support"]["phone"] = PHONE
    dump(content / "site.yml", site)

    facts.update(fee_region=fee_region["name"], cap_region=cap_region["name"], checked_region=checked_region["name"])
    facts["result"] = run_diff(repo, "--base", "HEAD")
    facts["lines"] = [line.strip().removeprefix("- ") for line in facts["result"].stdout.splitlines()]
    facts["markdown"] = run_diff(repo, "--base", "HEAD", "--markdown")
    return facts


def line_with(lines: list[str], *parts: str) -> str:
    found = [line for line in lines if all(part in line for part in parts)]
    assert found, f"ingen rad med {parts}:\n" + "\n".join(lines)
    return found[0]


def test_report_names_every_question_change(changed: dict) -> None:
    assert changed["result"].returncode == 0, changed["result"].stderr
    lines = changed["lines"]
    for section in ("Frågor", "Svar", "Avgifter", "Webbplatsens inställningar", "Omdirigeringar"):
        assert section in lines
    line_with(lines, "Ny fråga:", f"/fragor/{NEW_ID}/", f"id {NEW_ID}", NEW_QUESTION)
    renamed = changed["renamed"]
    line_with(lines, "Nytt id:", f"/fragor/{renamed}/ → /fragor/{renamed}-nytt/")
    line_with(lines, "Borttagen fråga:", f"/fragor/{changed['removed']}/", "adressen slutar fungera")
    line_with(lines, "Flyttad:", f"/fragor/{changed['moved']}/", changed["from_title"], changed["to_title"])
    line_with(lines, f"/fragor/{changed['reworded']}/:", "{+" + ADDED_SENTENCE + "+}")


def test_report_names_every_fee_and_setting_change(changed: dict) -> None:
    lines = changed["lines"]
    line_with(lines, f"{changed['fee_region']}: vårdcentral, läkare, besök: 1 234 kr från 2031-01-01", "ny uppgift")
    line_with(lines, f"{changed['cap_region']}: högkostnadstak: 1 100 kr från 2031-01-01", "ny uppgift")
    line_with(lines, f"{kronor(changed['old_cap'])} → 1 999 kr från {changed['cap_from']}")
    line_with(lines, f"{changed['checked_region']}: källa eller kontrolldatum ändrat")
    line_with(lines, "support.phone:", changed["old_phone"], f"→ ”{PHONE}”")


def test_report_warns_about_redirects_and_published_urls(changed: dict) -> None:
    lines, renamed, removed = changed["lines"], changed["renamed"], changed["removed"]
    line_with(lines, "Ny omdirigering:", f"/fragor/{renamed}/ → /fragor/{renamed}-nytt/")
    line_with(lines, "fel: publicerad adress slutar fungera:", f"/fragor/{removed}/")
    # The renamed entry's old address still works through its alias: no error for it.
    assert not [line for line in lines if line.startswith("fel:") and f"/fragor/{renamed}/" in line]


def test_markdown_output_for_the_job_summary(changed: dict) -> None:
    result = changed["markdown"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### Ändringar för patienter")
    assert "#### Avgifter" in result.stdout
    assert "{+" + ADDED_SENTENCE + "+}" in result.stdout
    assert f"- Ny fråga: /fragor/{NEW_ID}/" in result.stdout


def test_no_change_and_formatting_only(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    assert run_diff(repo, "--base", "HEAD").stdout.strip().endswith("Inga ändringar som patienter ser.")
    # Comments, quoting and layout are not something patients see.
    for path in (repo / "content").rglob("*.yml"):
        dump(path, load(path))
    result = run_diff(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("Inga ändringar som patienter ser."), result.stdout


def test_broken_base_still_gives_a_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    broken = sorted((repo / "content" / "faq").glob("*.yml"))[0]
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good + "- id: trasig\n  question: [inte stängd\n", encoding="utf-8")
    commit(repo, "trasig")
    broken.write_text(good, encoding="utf-8")
    site = load(repo / "content" / "site.yml")
    site["support"]["phone"] = PHONE
    dump(repo / "content" / "site.yml", site)

    result = run_diff(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    line_with(result.stdout.splitlines(), "före (HEAD)", f"content/faq/{broken.name}", "rad ", "inte giltig YAML")
    line_with(result.stdout.splitlines(), "support.phone:", PHONE)
    # The unreadable file's entries are not compared, so they must not show up as new.
    assert "Ny fråga:" not in result.stdout


def test_broken_working_tree_still_gives_a_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "content" / "site.yml").write_text("support:\n  phone: [010\n", encoding="utf-8")
    national_cap_file = repo / "content" / "fees" / "hogkostnadsskydd" / "nationellt_tak.yml"
    national_cap = load(national_cap_file)
    national_cap["values"].append({"valid_from": "2031-01-01", "value": 2345, "source": "Testkälla",
                                   "checked": "2026-11-25", "status": "unverified"})
    dump(national_cap_file, national_cap)

    result = run_diff(repo, "--base", "HEAD")
    assert result.returncode == 0, result.stderr
    line_with(result.stdout.splitlines(), "efter (arbetskopian)", "content/site.yml", "inte giltig YAML")
    line_with(result.stdout.splitlines(), "2 345 kr från 2031-01-01")


def test_unknown_ref_and_missing_git(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    result = run_diff(repo, "--base", "finns-inte")
    assert result.returncode == 2
    assert "Okänd git-referens 'finns-inte'" in result.stderr
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    result = run_diff(repo, "--base", "HEAD", env={**os.environ, "PATH": str(empty_path)})
    assert result.returncode == 2
    assert "git saknas" in result.stderr
