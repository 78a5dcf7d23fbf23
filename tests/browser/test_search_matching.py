"""How search meets queries typed the way patients type (portal-search.js), in the real browser
on the site built from the test content: a slip, an inflection, a compound, a whole sentence.
Every result still shows the words it matched highlighted, and never marks the small words of
a question in the answer's text."""

from __future__ import annotations

import unicodedata

import pytest

from .search import open_search, result_ids

SMALL_WORDS = {"hur", "jag", "kan", "min", "det", "att", "vad", "ar", "en", "pa", "for", "till", "om", "mina"}


def fold(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(char))


def first_result_marks(page) -> dict:
    """The marked words of the first result, in its title and in its answer text."""
    return page.evaluate("""() => {
        const article = document.querySelector(".md-search-result__list > li .md-search-result__article");
        const title = [...article.querySelectorAll("h1 mark")].map(mark => mark.textContent);
        const copy = article.cloneNode(true);
        copy.querySelectorAll("h1, .md-search-result__terms").forEach(node => node.remove());
        return {title, text: [...copy.querySelectorAll("mark")].map(mark => mark.textContent)};
    }""")


@pytest.fixture
def search_page(page, fixture_url):
    page.goto(fixture_url)
    open_search(page)
    return page


@pytest.mark.parametrize(("query", "entry", "marked"), [
    ("persnuppgifter", "personuppgifter-fragor", "personuppgifter"),        # one letter left out
    ("journla", "lasa-journal", "journal"),                          # two letters swapped
    ("persunupgifter", "personuppgifter-fragor", "personuppgifter"),  # two slips in a long word
    ("högkostnadsskyddets", "frikort-hogkostnadsskydd", "hogkostnadsskydd"),  # an inflection
    ("kundtjänsten", "kontakta-kundtjanst", "kundtjanst"),                     # the definite form
])
def test_a_slip_or_an_inflection_finds_the_entry_and_marks_the_word(search_page, query, entry, marked):
    assert result_ids(search_page, query)[:1] == [entry]
    marks = first_result_marks(search_page)
    assert any(fold(word).startswith(marked) for word in marks["title"] + marks["text"]), marks


def test_a_question_a_patient_asked_finds_its_answer(search_page):
    """Words that only the entry's asked_as has find it, whole or in part, in another order."""
    assert result_ids(search_page, "dottern tjugo")[:1] == ["avgift-for-barn"]
    # "persnuppgifter" is also written in an asked_as, as a patient typed it; it stays a slip
    # (the test above marks "personuppgifter" for it), not a word of the site.


def test_a_whole_question_read_back_outweighs_the_same_words_in_a_title(search_page):
    """"hjälp" and "få" stand in the title "Måste jag vara listad hos er för att få hjälp?"; the
    patient typed, word for word, a question listed under the answer about kundtjänst."""
    assert result_ids(search_page, "jag behöver hjälp att få tid")[:1] == ["kontakta-kundtjanst"]


def test_a_slip_is_assumed_in_the_word_or_its_stem_before_an_ending_only(search_page):
    """Snowball's stem of "egentligen" is "egent", one letter from "eget" and "egen" (words of
    the test content); the patient typed no slip of either, so nothing is found."""
    assert result_ids(search_page, "egentligen") == []


def test_inte_turns_a_question_around(search_page):
    """"inte" counts as a question word does: "vårdcentral" alone points to choosing one, but
    the patient who is not listed asks the other question (its keywords say "inte listad")."""
    assert result_ids(search_page, "vårdcentral när jag inte är listad")[:1] == ["behover-jag-vara-listad"]


def test_a_question_typed_as_a_sentence_finds_the_entry_by_its_content_words(search_page):
    assert result_ids(search_page, "hur gör jag för att läsa min journal")[:1] == ["lasa-journal"]
    assert result_ids(search_page, "vem svarar på frågor om mina personuppgifter")[:1] == ["personuppgifter-fragor"]


def test_small_words_of_a_question_are_not_marked_in_the_answer(search_page):
    assert result_ids(search_page, "hur kan jag läsa min journal")[:1] == ["lasa-journal"]
    marks = first_result_marks(search_page)
    assert marks["text"], "the content words are marked in the answer"
    assert not {fold(word) for word in marks["text"]} & SMALL_WORDS, marks


def test_a_word_typed_apart_finds_the_compound(search_page):
    assert "frikort-hogkostnadsskydd" in result_ids(search_page, "hög kostnadsskydd")[:1]
