"""Everyday edits to the live content keep every invariant, with no command to run.

Each edit is made as an editor makes it in GitHub's web editor: plain text changes to a copy of
content/, nothing else (no `python3 build.py urls`: the publish workflow records new URLs).
The copy must then pass the same invariants as the live content (tests/invariants.py),
including a real build with the site's link check, and the edit must show in the built site.
The edits pick their entries from whatever the live content holds, so they keep working
whatever editors have changed.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from portal.model.content import Content

from . import invariants
from .conftest import make_project

TODAY = datetime.date.today().isoformat()
Verify = Callable[[Path, str], None]
"""Checks that an edit shows: given the built site and what `check` printed."""


# --- Text editing, as in the web editor ---------------------------------------------------

def faq_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "faq").glob("*.yml"))


def split_entries(text: str) -> tuple[str, list[str]]:
    """The text before the first entry, and each entry's lines (blank lines after it included)."""
    parts = re.split(r"(?m)^(?=- )", text)
    return parts[0], parts[1:]


def entry_id(block: str) -> str:
    return re.search(r"(?m)^(?:- |  )id: *['\"]?([a-z0-9-]+)", block).group(1)


def entries_of(path: Path) -> list[str]:
    return [entry_id(block) for block in split_entries(path.read_text(encoding="utf-8"))[1]]


def join(head: str, blocks: list[str]) -> str:
    blocks = [block if block.endswith("\n\n") else block.rstrip("\n") + "\n\n" for block in blocks]
    return (head + "".join(blocks)).rstrip("\n") + "\n"


def cut_entry(path: Path, wanted: str) -> str:
    """Remove the entry `wanted` from `path`; return its lines."""
    head, blocks = split_entries(path.read_text(encoding="utf-8"))
    block = next(block for block in blocks if entry_id(block) == wanted)
    blocks.remove(block)
    path.write_text(join(head, blocks), encoding="utf-8")
    return block


def append_entry(path: Path, block: str) -> None:
    head, blocks = split_entries(path.read_text(encoding="utf-8"))
    path.write_text(join(head, blocks + [block]), encoding="utf-8")


def page(site: Path, entry: str) -> str:
    return (site / "fragor" / entry / "index.html").read_text(encoding="utf-8")


def free_id(content: Content, wanted: str) -> str:
    """`wanted`, or `wanted-2`, … : an id that no entry or alias uses yet."""
    candidate, number = wanted, 1
    while content.resolve(candidate) is not None:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


# --- The edits ----------------------------------------------------------------------------

def add_entry(root: Path, touched: set[str]) -> Verify:
    """A new question at the end of the first category file, linking to an entry there."""
    content = Content.load(root)
    path = faq_files(root)[0]
    linked = next(other for other in entries_of(path) if other not in touched)
    new = free_id(content, "boka-om-tid")
    touched.update({new, linked})
    append_entry(path, (
        f"- id: {new}\n"
        "  question: Kan jag flytta en tid som jag har bokat?\n"
        "  answer: |\n"
        "    Ja. Avboka eller flytta tiden senast dagen före, så kan någon annan få den.\n"
        "\n"
        f"    Ring vår {{{{ support.name }}}} på {{{{ support.phone_link }}}}. Läs också {{{{ fraga('{linked}') }}}}\n"
        "  keywords: [boka om, flytta tid, avboka, ombokning]\n"
        f"  related: [{linked}]\n"
        f"  reviewed: {TODAY}\n"
    ))
    category = path.stem

    def verify(site: Path, _: str) -> None:
        html = page(site, new)
        assert "Kan jag flytta en tid som jag har bokat?" in html
        assert f'href="../{linked}/"' in html
        listed = (site / "kategori" / category / "index.html").read_text(encoding="utf-8")
        assert f'href="../../fragor/{new}/"' in listed
        assert any(item["id"] == new for item in json.loads((site / "api" / "faq.json").read_text()))
    return verify


NEW_SENTENCE = "Svaret är omskrivet: det här är den nya första meningen."


def reword_answer(root: Path, touched: set[str]) -> Verify:
    """The first line of an answer replaced by a new sentence (in the last file that has one)."""
    path, index = next(
        (path, number) for path in reversed(faq_files(root))
        for number, block in enumerate(split_entries(path.read_text(encoding="utf-8"))[1])
        if entry_id(block) not in touched and re.search(r"(?m)^  answer: [|>]-?\n", block)
    )
    head, blocks = split_entries(path.read_text(encoding="utf-8"))
    reworded = entry_id(blocks[index])
    touched.add(reworded)
    blocks[index] = re.sub(r"(?m)^(  answer: [|>]-?\n)    .*\n", rf"\g<1>    {NEW_SENTENCE}\n", blocks[index], count=1)
    path.write_text(join(head, blocks), encoding="utf-8")

    def verify(site: Path, _: str) -> None:
        assert NEW_SENTENCE in page(site, reworded)
    return verify


def move_entry(root: Path, touched: set[str]) -> Verify:
    """The last entry of a file with several moved to the end of another category's file."""
    files = faq_files(root)
    source = next(path for path in files if len([i for i in entries_of(path) if i not in touched]) >= 2)
    target = next(path for path in files if path != source)
    moved = [other for other in entries_of(source) if other not in touched][-1]
    touched.add(moved)
    append_entry(target, cut_entry(source, moved))

    def verify(site: Path, _: str) -> None:
        link = f'href="../../fragor/{moved}/"'
        assert link in (site / "kategori" / target.stem / "index.html").read_text(encoding="utf-8")
        assert link not in (site / "kategori" / source.stem / "index.html").read_text(encoding="utf-8")
        assert 'class="portal-answer"' in page(site, moved)
    return verify


def retire_with_alias(root: Path, touched: set[str]) -> Verify:
    """An entry deleted, its id put in the `aliases:` of the related entry that takes over."""
    content = Content.load(root)
    retired = next(
        entry for entry in content.entries.values()
        if entry.id not in touched and not entry.aliases and content.related_entries(entry)
        and len(entries_of(root / entry.file)) >= 2
    )
    heir = content.related_entries(retired)[0]
    touched.update({retired.id, heir.id})
    cut_entry(root / retired.file, retired.id)
    path = root / heir.file
    head, blocks = split_entries(path.read_text(encoding="utf-8"))
    index = next(number for number, block in enumerate(blocks) if entry_id(block) == heir.id)
    block = blocks[index]
    if re.search(r"(?m)^  aliases: *\[", block):
        block = re.sub(r"(?m)^(  aliases: *\[)(.*)\]", rf"\g<1>\g<2>, {retired.id}]", block, count=1)
    elif re.search(r"(?m)^  aliases:\s*$", block):
        block = re.sub(r"(?m)^(  aliases:\s*\n)", rf"\g<1>    - {retired.id}\n", block, count=1)
    else:
        block = re.sub(r"(?m)^(- id: .*\n)", rf"\g<1>  aliases: [{retired.id}]\n", block, count=1)
    blocks[index] = block
    path.write_text(join(head, blocks), encoding="utf-8")
    referred = any(retired.id in other.related or f"fraga('{retired.id}')" in other.answer
                   for other in content.entries.values() if other is not retired)

    def verify(site: Path, output: str) -> None:
        redirect = page(site, retired.id)
        assert f'url=../{heir.id}/"' in redirect
        if referred:  # other entries still name the old id: it works, with a warning
            assert f"'{retired.id}' är ett gammalt id för '{heir.id}'" in output
    return verify


def add_fee_block(root: Path, touched: set[str]) -> Verify:
    """Next year's fees for one region: its last fee block copied, dated, source and checked
    date changed, amounts raised (free contacts stay free); the rest as copied."""
    path = sorted((root / "content" / "fees" / "regioner").glob("SE-*.yml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(number for number, line in enumerate(lines) if line.startswith("fees:"))
    end = next((number for number in range(start + 1, len(lines)) if re.match(r"[^\s#-]", lines[number])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    last = max(number for number in range(start + 1, end) if lines[number].startswith("  - "))
    dates = re.findall(r"valid_from: *['\"]?(\d{4}-\d{2}-\d{2})", "".join(lines))
    year = max([datetime.date.today().year] + [int(date[:4]) for date in dates]) + 1
    valid_from = f"{year}-01-01"
    block = []
    for line in lines[last:end]:
        key = line.strip().removeprefix("- ").split(":", 1)[0]
        indent = line[: len(line) - len(line.lstrip())] + ("- " if line.lstrip().startswith("- ") else "")
        if key == "valid_from":
            line = f"{indent}valid_from: {valid_from}\n"
        elif key == "source":
            line = f"{indent}source: Regionens beslut om patientavgifter {year}\n"
        elif key == "checked":
            line = f"{indent}checked: {TODAY}\n"
        elif key == "note":
            continue
        else:
            line = re.sub(r"(\w+: *)([1-9]\d*)(?=[,}])", lambda match: f"{match.group(1)}{int(match.group(2)) + 25}", line)
        block.append(line)
    lines[end:end] = block
    path.write_text("".join(lines), encoding="utf-8")
    region = path.stem

    def verify(site: Path, _: str) -> None:
        wheel = next((site / "assets" / "wheels").rglob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            fees = json.loads(archive.read("patientavgift/fees.json"))
        newest = fees["regions"][region]["fees"][-1]
        assert (newest["valid_from"], newest["checked"]) == (valid_from, TODAY)
    return verify


NEW_PHONE = ("08-465 004 99", "+46846500499")
"""One of the numbers PTS keeps for fiction, so the test never prints a real one."""


def change_support_phone(root: Path, touched: set[str]) -> Verify:
    """The support phone number changed in site.yml, both the shown and the dialled form."""
    path = root / "content" / "site.yml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r"(?m)^  phone_international: *['\"]?(\+\d+)", text).group(1)
    text = re.sub(r"(?m)^  phone: .*$", f"  phone: {NEW_PHONE[0]}", text, count=1)
    text = re.sub(r"(?m)^  phone_international: .*$", f'  phone_international: "{NEW_PHONE[1]}"', text, count=1)
    path.write_text(text, encoding="utf-8")
    used = any("support.phone" in file.read_text(encoding="utf-8") for file in (root / "content").rglob("*.yml"))

    def verify(site: Path, _: str) -> None:
        pages = [file.read_text(encoding="utf-8") for file in site.rglob("*.html")]
        assert not [text for text in pages if f"tel:{old}" in text], "det gamla numret finns kvar"
        if used:
            assert any(f'href="tel:{NEW_PHONE[1]}"' in text for text in pages)
    return verify


EDITS: dict[str, Callable[[Path, set[str]], Verify]] = {
    "ny-fraga": add_entry,
    "omskrivet-svar": reword_answer,
    "flyttad-fraga": move_entry,
    "borttagen-fraga-med-alias": retire_with_alias,
    "nya-avgifter-nasta-ar": add_fee_block,
    "nytt-telefonnummer": change_support_phone,
}


@pytest.mark.parametrize("names", [[name] for name in EDITS] + [list(EDITS)], ids=[*EDITS, "alla-tillsammans"])
def test_everyday_edits_keep_every_invariant(names, tmp_path):
    root = make_project(tmp_path / "project")
    touched: set[str] = set()
    verifications = [EDITS[name](root, touched) for name in names]
    output = invariants.holds_for_content(root)
    site = tmp_path / "site"
    invariants.site_builds(root, site)
    invariants.holds_for_site(root, site)
    for verify in verifications:
        verify(site, output)
