"""Site-wide search synonyms (content/synonymer.yml): groups of words that mean the same to a
patient. An entry that uses one word of a group is also found by the others: the other words
are added to its hidden search keywords at build time, so the search itself is unchanged."""

from __future__ import annotations

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
    # Only the runs of non-ASCII characters can change (ASCII is its own decomposition), and
    # decomposing a run alone is decomposing it in its text: only the order of combining
    # marks depends on their neighbours, and those are dropped. A third of the time of
    # decomposing every character of every entry's text.
    return _NON_ASCII.sub(_fold_run, text.casefold())


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match: re.Match) -> str:
    return _without_marks(match.group(0))


@functools.lru_cache(maxsize=4096)
def _without_marks(run: str) -> str:
    """`run` decomposed (NFD) without its combining marks."""
    return "".join(char for char in unicodedata.normalize("NFD", run) if not unicodedata.combining(char))


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
        tokens = set(_WORD.findall(folded))
        lookup = _Lookup.of(tuple(tuple(group) for group in self.groups))
        # Set and dict lookups by the text's words instead of a search of them for each word
        # of every group, which cost more than the rest of the finish stage. A prefix can only
        # begin a word that begins with the prefix's first PREFIX_LENGTH characters.
        used = tokens & lookup.whole
        used.update(prefix for token in tokens for prefix in lookup.prefixes.get(token[:PREFIX_LENGTH], ())
                    if token.startswith(prefix))
        used.update(phrase for phrase in lookup.phrases if phrase in folded and _phrase(phrase).search(folded))
        added: list[str] = []
        for index in sorted({index for word in used for index in lookup.groups[word]}):
            group = self.groups[index]
            in_text = [word for word in group if _folded(word) in used]
            added.extend(word for word in group if word not in in_text)
        return added


@dataclass(frozen=True)
class _Lookup:
    """The folded words of the synonym groups, sorted by how a text uses them."""

    whole: frozenset[str]
    """Short words, used as whole words only."""
    prefixes: dict[str, list[str]]
    """Words of PREFIX_LENGTH characters or more, which also match words they begin, by
    their first PREFIX_LENGTH characters."""
    phrases: tuple[str, ...]
    """Words with a space or hyphen, used as whole words in the text."""
    groups: dict[str, list[int]]
    """The groups (their index) each folded word is in."""

    @classmethod
    @functools.lru_cache(maxsize=8)
    def of(cls, groups: tuple[tuple[str, ...], ...]) -> _Lookup:
        words = {_folded(word) for group in groups for word in group}
        phrases = tuple(sorted(word for word in words if " " in word or "-" in word))
        single = words.difference(phrases)
        prefixes: dict[str, list[str]] = {}
        for word in sorted(single):
            if len(word) >= PREFIX_LENGTH:
                prefixes.setdefault(word[:PREFIX_LENGTH], []).append(word)
        in_groups: dict[str, list[int]] = {}
        for index, group in enumerate(groups):
            for word in dict.fromkeys(_folded(word) for word in group):
                in_groups.setdefault(word, []).append(index)
        return cls(whole=frozenset(word for word in single if len(word) < PREFIX_LENGTH), prefixes=prefixes,
                   phrases=phrases, groups=in_groups)


@functools.lru_cache(maxsize=None)
def _folded(word: str) -> str:
    """`fold(word)`, once per word of the groups rather than once per entry."""
    return fold(word)


@functools.lru_cache(maxsize=None)
def _phrase(word: str) -> re.Pattern:
    """A folded phrase as whole words."""
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
