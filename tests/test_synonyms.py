"""Site-wide search synonyms: an entry that uses one word of a group is found by the others."""

from __future__ import annotations

from patientavgift.source import Problem
from patientavgift.source.yamlfile import LineDict
from portal.finish.search_index import search_keywords
from portal.model.synonyms import Synonyms


def synonyms(*groups: list[str]) -> Synonyms:
    problems: list[Problem] = []
    found = Synonyms.from_data([LineDict({"ord": group}) for group in groups], problems)
    assert problems == []
    return found


GROUPS = synonyms(["vårdcentral", "hälsocentral", "vc"], ["fysioterapeut", "sjukgymnast"], ["läkare på nätet", "nätläkare"])


def test_a_word_brings_the_rest_of_its_group():
    assert GROUPS.additions("Boka en tid på din vårdcentral.") == ["hälsocentral", "vc"]


def test_inflections_and_compounds_of_long_words_count():
    assert GROUPS.additions("Vårdcentralerna har öppet.") == ["hälsocentral", "vc"]
    assert GROUPS.additions("VARDCENTRALEN") == ["hälsocentral", "vc"]  # case and diacritics folded


def test_short_words_and_phrases_count_only_whole():
    assert GROUPS.additions("vcx och vcs") == []
    assert GROUPS.additions("Fråga en VC.") == ["vårdcentral", "hälsocentral"]
    assert GROUPS.additions("Träffa läkare på nätet.") == ["nätläkare"]
    assert GROUPS.additions("läkare på plats, nätet") == []


def test_unrelated_text_gets_nothing():
    assert GROUPS.additions("Recept hämtas på apoteket.") == []


def test_a_word_in_two_groups_is_an_error_at_its_line():
    item = LineDict({"ord": ["sjukgymnast", "fysio"]})
    item.line, item.key_lines = 4, {"ord": 4}
    problems: list[Problem] = []
    Synonyms.from_data([LineDict({"ord": ["fysioterapeut", "sjukgymnast"]}), item], problems)
    assert [str(problem) for problem in problems] == [
        "content/synonymer.yml:4: ord: 'sjukgymnast' står redan i en grupp (rad 0); ett ord får bara finnas i en "
        "grupp. Slå ihop grupperna eller ta bort ordet."
    ]


class FakeEntry:
    keywords = ["sjukgymnast", "rygg"]


def test_the_search_index_gets_the_synonyms_as_hidden_keywords():
    document = {"title": "Vem träffar jag?", "text": "Du kan träffa en fysioterapeut &amp; en läkare. Kostar 1 450 kr."}
    keywords, mentioned = search_keywords(FakeEntry(), document, GROUPS)
    # The keyword sjukgymnast brings fysioterapeut as a keyword, though the text has it too.
    assert keywords == "sjukgymnast rygg fysioterapeut 1450"
    assert mentioned == ""
    document["text"] = "Ring din hälsocentral."
    assert search_keywords(FakeEntry(), document, GROUPS) == ("sjukgymnast rygg fysioterapeut", "vårdcentral vc")


def test_synonyms_of_the_question_weigh_as_keywords_those_of_the_text_as_text():
    """"Logga in" in one sentence of an answer about fees must not make "login" find that
    answer as strongly as the answer whose question is about logging in."""
    document = {"title": "Hur når jag min vårdcentral?", "text": "En fysioterapeut svarar."}
    keywords, mentioned = search_keywords(FakeEntry(), document, GROUPS)
    assert keywords.split() == ["sjukgymnast", "rygg", "hälsocentral", "vc", "fysioterapeut"]
    assert mentioned == ""
    document["text"] = "Du kan också träffa läkare på nätet."
    keywords, mentioned = search_keywords(FakeEntry(), document, GROUPS)
    assert "nätläkare" not in keywords.split() and mentioned == "nätläkare"


def test_hidden_words_are_split_as_the_worker_splits_a_query():
    """The worker splits a typed query on everything but letters, digits and hyphens, so the
    index must hold "doctor's" as "doctor s", not as one word with an entity inside it."""
    class Entry:
        keywords = ["doctor's note", "e-post", "24/7", "<b>fet</b> & \"citat\""]
    keywords, _ = search_keywords(Entry(), {"title": "Intyg", "text": ""}, GROUPS)
    assert keywords == "doctor s note e-post 24 7 b fet b citat"


def test_a_word_in_a_longer_keyword_brings_its_synonyms_as_text_only():
    """"kostar sjukgymnast" says what the answer is about in that word's company; its synonym
    alone ("fysioterapeut") must not weigh as a keyword of the answer."""
    class Entry:
        keywords = ["kostar sjukgymnast", "pris"]
    keywords, mentioned = search_keywords(Entry(), {"title": "Vad kostar det?", "text": ""}, GROUPS)
    assert keywords.split() == ["kostar", "sjukgymnast", "pris"]
    assert mentioned == "fysioterapeut"
