"""Site-wide search synonyms (content/synonymer.yml): groups of words that mean the same to a
patient. An entry that uses one word of a group is also found by the others: the other words
are added to its hidden search keywords at build time, so the search itself is unchanged."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from patientavgift.source.yamlfile import LineDict

from ..errors import Problem

SYNONYMS_FILE = "content/synonymer.yml"
PREFIX_LENGTH = 5
"""Words this long also match words that begin with them (vårdcentral → vårdcentralen,
vårdcentraler); shorter ones (vc) only match whole words."""

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def fold(text: str) -> str:
    """Lower case without diacritics, as the site's search compares words."""
    return "".join(char for char in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(char))


@dataclass
class Synonyms:
    """The groups of content/synonymer.yml."""

    groups: list[list[str]] = field(default_factory=list)

    @classmethod
    def from_data(cls, data, problems: list[Problem]) -> "Synonyms":
        synonyms = cls()
        seen: dict[str, int] = {}
        for item in data if isinstance(data, list) else []:
            if not isinstance(item, LineDict) or not isinstance(item.get("ord"), list):
                continue
            words = [str(word) for word in item["ord"]]
            for word in words:
                if fold(word) in seen:
                    problems.append(Problem(SYNONYMS_FILE, item.line_of("ord"), "ord", (
                        f"'{word}' står redan i en grupp (rad {seen[fold(word)]}); ett ord får bara "
                        "finnas i en grupp. Slå ihop grupperna eller ta bort ordet."
                    )))
                seen.setdefault(fold(word), item.line_of("ord"))
            synonyms.groups.append(words)
        return synonyms

    def additions(self, text: str) -> list[str]:
        """The words of every group that `text` uses, except those it already uses."""
        folded = fold(text)
        # Sorted, so the words a prefix begins are found by bisection: trying every word of
        # the text against every prefix cost 1.5 ms an entry (a third of the finish stage).
        tokens = sorted(set(_WORD.findall(folded)))
        added: list[str] = []
        for group in self.groups:
            used = [word for word in group if _uses(folded, tokens, _folded(word))]
            if used:
                added.extend(word for word in group if word not in used)
        return added


@functools.lru_cache(maxsize=None)
def _folded(word: str) -> str:
    """`fold(word)`, once per word of the groups rather than once per entry."""
    return fold(word)


@functools.lru_cache(maxsize=None)
def _phrase(word: str) -> re.Pattern:
    """A folded phrase as whole words."""
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")


def _uses(folded_text: str, tokens: list[str], word: str) -> bool:
    """Whether the folded text uses the folded `word`; `tokens` are its words, sorted."""
    if " " in word or "-" in word:  # a phrase: as whole words
        return _phrase(word).search(folded_text) is not None
    index = bisect.bisect_left(tokens, word)
    if index == len(tokens):
        return False
    if len(word) >= PREFIX_LENGTH:
        return tokens[index].startswith(word)  # the first word not before it begins with it, if any does
    return tokens[index] == word
