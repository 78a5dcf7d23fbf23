"""The published-URL guard: a link support staff once sent must keep working.

`content/publicerade-adresser.txt` lists every entry URL that has been published, one per
line. `python3 build.py check` (and every build) fails when a listed URL would no longer be
served: an id was renamed or an entry deleted, and no `aliases:` takes the old id over.
`python3 build.py urls` adds the URLs of new entries and never removes one; the publish
workflow runs it when main is published and commits the list, so editors never need to.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .content import Content, Entry
from ..errors import Problem

MANIFEST = Path("content") / "publicerade-adresser.txt"
HEADER = (
    "# Alla publicerade adresser till frågor. Ta aldrig bort en rad: patienter kan ha fått länken.\n"
    "# Nya adresser läggs till när webbplatsen publiceras (python3 build.py urls).\n"
)


def read_manifest(root: Path) -> list[tuple[int, str]]:
    """(line number, URL) for every URL in the manifest."""
    path = root / MANIFEST
    if not path.is_file():
        return []
    return [
        (number, line.strip())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def served_urls(content: Content) -> dict[str, Entry]:
    return {url: entry for entry in content.entries.values() for url in entry.urls}


def check_published(content: Content) -> list[Problem]:
    """Every published URL still served. A new entry's URL is not an error: the publish
    workflow records it (`python3 build.py urls`) when main is published, so an editor never
    has to run a command."""
    problems: list[Problem] = []
    served = served_urls(content)
    listed = read_manifest(content.root)
    manifest = MANIFEST.as_posix()
    if not (content.root / MANIFEST).is_file():
        return [Problem(manifest, 0, "-", "filen saknas; skapa den med python3 build.py urls.")]
    for number, url in listed:
        if url in served:
            continue
        old_id = url.strip("/").split("/")[-1]
        guess = difflib.get_close_matches(old_id, [entry.id for entry in content.entries.values()], n=1)
        hint = f" Är det '{guess[0]}' som ersätter den? Skriv då 'aliases: [{old_id}]' på den frågan." if guess else (
            f" Skriv 'aliases: [{old_id}]' på frågan som ersätter den, eller återställ frågan."
        )
        problems.append(Problem(manifest, number, url, (
            f"adressen är publicerad men leder inte längre till någon fråga, så länkar som skickats till "
            f"patienter slutar fungera.{hint}"
        )))
    return problems


def update_manifest(content: Content) -> list[str]:
    """Add every served URL that is missing; return the ones added."""
    path = content.root / MANIFEST
    listed = [url for _, url in read_manifest(content.root)]
    added = sorted(set(served_urls(content)) - set(listed))
    if added or not path.is_file():
        path.write_text(HEADER + "".join(f"{url}\n" for url in sorted(set(listed) | set(added))), encoding="utf-8")
    return added
