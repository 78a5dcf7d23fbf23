"""The search index an engine wrote, finished with what only the content knows.

Material's search (MkDocs) indexes what each page shows. Each answer's document gets three
hidden fields here, boosted in mkdocs.yml: `keywords` (its keywords, the synonyms of the words of
its question and keywords, amounts also as patients type them), `synonyms` (the synonyms of
words only its answer text uses, weighed like that text) and `asked` (how patients ask for it,
its `asked_as`, between the two); and beside the index, the vocabulary, categories and contact
routes that assets/portal.js offers when a query finds nothing. An engine whose index has
another form (Zensical) gets the help file only (docs/engines.md).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

from ..errors import BuildError
from ..model.content import Content, Entry
from ..model.sanitize import html_text
from ..model.synonyms import Synonyms

MATERIAL_INDEX = Path("search") / "search_index.json"
"""Where Material's search plugin writes its index."""
KEYWORD_FIELD = "keywords"
"""The hidden field of what an entry is about; mkdocs.yml lists it under the search plugin's
`fields:` with its boost."""
SYNONYM_FIELD = "synonyms"
"""The hidden field of the synonyms of words the answer text only mentions: "logga in" in a
sentence of the answer about children's fees should not make "login" find that answer as
strongly as the answer about e-legitimation, whose question says it."""
ASKED_FIELD = "asked"
"""The hidden field of how patients ask for the answer (`asked_as`), weighed between the answer
text and the keywords: a whole question holds words that say little on their own ("betala",
"innan", "använda"), which as keywords would outweigh the answers whose question they are."""
HIDDEN_FIELDS = (KEYWORD_FIELD, SYNONYM_FIELD, ASKED_FIELD)
SEARCH_HELP = Path("search") / "portal-hjalp.json"
"""What assets/portal.js offers when a query finds nothing."""


def finish_search(site_dir: Path, content: Content) -> bool:
    """Add the hidden keywords to Material's index (when the engine wrote one) and write the
    help file; True when the index was Material's."""
    index_path = site_dir / MATERIAL_INDEX
    documents: list[dict] = []
    if index_path.is_file():
        index = json.loads(index_path.read_text(encoding="utf-8"))
        for field in HIDDEN_FIELDS:
            if field not in index["config"].get("fields", {}):
                raise BuildError(f"Lägg till '{field}' under search: fields: i mkdocs.yml.")
        by_location = {entry.url: entry for entry in content.entries.values()}
        for document in index["docs"]:
            document["text"] = plain_search_text(document.get("text", ""))
            entry = by_location.get(document["location"])
            if entry is not None:
                document[KEYWORD_FIELD], document[SYNONYM_FIELD] = search_keywords(entry, document, content.synonyms)
                document[ASKED_FIELD] = search_words(entry.asked_as)
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        documents = index["docs"]
    else:
        documents = [{"title": entry.question, "text": "", KEYWORD_FIELD: " ".join(entry.keywords)}
                     for entry in content.entries.values()]
    help_path = site_dir / SEARCH_HELP
    help_path.parent.mkdir(parents=True, exist_ok=True)
    help_path.write_text(json.dumps(search_help(content, documents), ensure_ascii=False, separators=(",", ":")),
                         encoding="utf-8")
    return index_path.is_file()


def search_keywords(entry: Entry, document: dict, synonyms: Synonyms) -> tuple[str, str]:
    """The two hidden search texts of an entry (content/synonymer.yml for the synonyms).

    Keywords: its own keywords, the synonyms of the words of its question and of its one-word
    keywords, and amounts written with spaces ("1 450 kr") also as patients type them (1450).
    Synonyms: the synonyms of the words its answer text and its longer keywords use. A word in
    a longer keyword is context ("kostar chatt" in the answer about fees): its synonyms ("chat",
    "chatta") alone would make that answer the one about chatting. Diacritics are folded in the
    browser (portal-search.js), so the index holds each word once."""
    title, text = unescape(document.get("title", "")), unescape(document.get("text", ""))
    numbers = {re.sub(r"[\s\u00a0]", "", number)
               for number in re.findall(r"\d{1,3}(?:[\s\u00a0]\d{3})+", " ".join([title, text]))}
    words = list(entry.keywords)
    single = [keyword for keyword in entry.keywords if len(keyword.split()) == 1]
    words += [word for word in synonyms.additions(" ".join([title, *single])) if word not in words]
    mentioned = [word for word in synonyms.additions(" ".join([title, text, *words])) if word not in words]
    return search_words(words + sorted(numbers)), search_words(mentioned)


def search_words(words: list[str]) -> str:
    """Hidden words as the worker reads a query: letters, digits and hyphens, everything else a
    space ("doctor's" as "doctor s", as a typed "doctor's" is split). Escaped all the same, so
    nothing in the index is markup whatever an editor writes."""
    return html_text(" ".join(_NOT_A_WORD.sub(" ", " ".join(words)).split()))


_NOT_A_WORD = re.compile(r"[^\w\s-]")


def search_help(content: Content, documents: list[dict]) -> dict:
    """The vocabulary for "menade du …?" (each word as written, with how often it occurs,
    most common first), the categories and the contact routes; and the synonym groups, which
    the search worker (portal-search.js) also applies to the query, so a synonym finds the
    titles and answers that use another word of its group, not only the hidden keywords.
    Patients' questions (`asked_as`) stay out of the vocabulary: they are written as patients
    type, slips included, and a suggestion should be spelt right."""
    counts: Counter[str] = Counter()
    for document in documents:
        text = " ".join(unescape(document.get(key, "")) for key in ("title", "text", KEYWORD_FIELD, SYNONYM_FIELD))
        counts.update(re.findall(r"[^\W\d_]{3,}", text.lower()))  # counted in C, not word by word
    support = content.site["support"]
    return {
        "words": [[word, count] for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))],
        "categories": [{"title": category.title, "url": category.url} for category in content.categories],
        "contact": {
            "name": support["name"], "hours": support["hours"], "email": support["email"],
            "phone": support["phone"], "phone_link": f"tel:{support['phone_international']}",
        },
        "synonyms": [list(group) for group in content.synonyms.groups],
    }


def plain_search_text(html_text: str) -> str:
    """Search text without markup: the index is downloaded whole, so every byte counts."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())
