"""Plain Swedish by rule: the glossary, typography and readability warnings, and the links
from a term's first use to its explanation."""

from __future__ import annotations

import pytest

from patientavgift.source import Problem
from patientavgift.source.yamlfile import LineDict
from portal.model.language import Glossary, lix, typography_problems


def glossary(*items: dict) -> Glossary:
    data = []
    for line, item in enumerate(items, start=1):
        entry = LineDict(item)
        entry.line, entry.key_lines = line, {key: line for key in item}
        data.append(entry)
    problems: list[Problem] = []
    found = Glossary.from_data(data, problems)
    assert problems == []
    return found


TERMS = glossary(
    {"id": "frikort", "term": "frikort", "forms": ["frikortet"], "definition": "Ett bevis."},
    {"id": "digitalt-vardbesok", "term": "digitalt vårdbesök", "definition": "Vård på distans.",
     "avoid": ["vård på nätet", "digitalt besök"]},
    {"id": "capio", "term": "Capio", "definition": "Vårdgivaren.", "explain": False},
)


@pytest.mark.parametrize("text, expected", [
    ("Så fungerar vård på nätet.", ["vård på nätet"]),
    ("VÅRD PÅ\nNÄTET och ett digitalt besök", ["VÅRD PÅ\nNÄTET", "digitalt besök"]),
    ("Ett digitalt vårdbesök.", []),
    ("Ett digitalt besöksnummer.", []),  # whole words only
    ("{{ fraga('digitalt besök') }} [vård](https://x.se/vård på nätet)", []),  # code is not text
])
def test_discouraged_variants_are_found_as_whole_words(text, expected):
    assert [words for _, words, _ in TERMS.discouraged_uses(text)] == expected


def test_the_first_use_of_each_term_links_to_its_explanation():
    html = ('<p>Med <strong>frikortet</strong> betalar du inget. Frikort gäller i hela landet. '
            'Ett digitalt vårdbesök hos Capio.</p><p><a href="x">frikort</a> &amp; frikort</p>')
    linked = TERMS.link_first_uses(html, "../../")
    assert linked == (
        '<p>Med <strong><a class="portal-term" href="../../ordlista/#frikort">frikortet</a></strong> '
        'betalar du inget. Frikort gäller i hela landet. Ett <a class="portal-term" '
        'href="../../ordlista/#digitalt-vardbesok">digitalt vårdbesök</a> hos Capio.</p>'
        '<p><a href="x">frikort</a> &amp; frikort</p>'
    )


def test_a_term_inside_a_link_is_not_linked_again():
    html = '<p><a href="../x/">Vad är ett frikort?</a> Läs om frikort.</p>'
    assert TERMS.link_first_uses(html, "") == (
        '<p><a href="../x/">Vad är ett frikort?</a> Läs om <a class="portal-term" href="ordlista/#frikort">frikort</a>.</p>'
    )


def test_a_word_listed_twice_is_an_error():
    problems: list[Problem] = []
    Glossary.from_data([LineDict({"id": "a", "term": "frikort", "definition": "x"}),
                        LineDict({"id": "b", "term": "kort", "definition": "y", "avoid": ["Frikort"]})], problems)
    assert [problem.message for problem in problems] == [
        "'Frikort' finns redan i ordlistan (rad 0); varje ord får bara stå en gång."
    ]


@pytest.mark.parametrize("text, markdown, expected", [
    ("Svar inom 10 minuter.", True, ["'10 minuter' har vanliga mellanslag"]),
    ("Svar inom 10&nbsp;minuter och 10\u00a0minuter.", True, []),
    ("Kostar 1 450 kr.", True, ["'1 450 kr' har vanliga mellanslag"]),
    ("Ring 010-202 34 10.", True, ["telefonnumret '010-202 34 10'"]),
    ("Svar inom 10 minuter.", False, []),  # plain text cannot hold &nbsp;: not checked there
    ("Öppet kl. 8–15.", False, ["tiden 'kl. 8–15'"]),
    ("Öppet 8:00-17:00.", False, ["tiden '8:00-17:00'"]),
    ("Öppet 8.00–17.00.", False, []),
    ("Barn 1–2 år", False, []),  # a range of years, not a time
    ('Ett "citat".', False, ["raka citattecken", "raka citattecken"]),
    ("Läs {{ fraga('x') }}.", True, []),
])
def test_typography(text, markdown, expected):
    found = [message for _, message in typography_problems(text, markdown)]
    assert len(found) == len(expected), found
    for message, start in zip(found, expected):
        assert message.startswith(start), message


def test_lix():
    easy = "Du loggar in. Sedan svarar du på frågor. Du får hjälp."
    hard = ("Patientavgiftsbestämmelserna tillämpas regionövergripande beträffande "
            "högkostnadsskyddsberäkningar inom primärvårdsverksamheten.")
    assert lix(easy) < 20 < 60 < lix(hard)
    assert lix("") == 0
