"""Search in the real browser: Material's search box, and the site's own search worker behind it.

The search quality is a measurement of the live content: the patient query sets
(tests/search_queries.yml for tuning, tests/search_queries_heldout.yml held out) scored against
the live site's own search worker. It prints hit@1 and hit@3 and writes them, with every miss of
the tuning set, to test-results/search-quality.json.
The goal (portal issue) is the right answer in the top 3 for at least 95 % of the queries; an
edit that makes the answers harder to find fails it on purpose. An expected id that an editor
has retired into another entry's `aliases:` counts as that entry. How search behaves (diacritics,
hidden keywords) is tested on the site built from the test content.
"""

from __future__ import annotations

import json

import yaml

from portal.model.content import Content

from ..conftest import BRIEF_IDS, ROOT, fixture_content
from .search import open_search, result_ids, worker_result_ids

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
HELD_OUT = yaml.safe_load((ROOT / "tests" / "search_queries_heldout.yml").read_text(encoding="utf-8"))
"""Measured, never tuned on; once read, its queries move to the tuning set (see its header)."""
HIT3_GOAL = 0.95


def test_query_set_is_realistic_and_covers_every_entry():
    """Every entry of the brief is asked for, and every expected answer is one the site has
    (directly or, once retired, by an alias)."""
    assert len(QUERIES) >= 40
    content = Content.load(ROOT)
    for queries in (QUERIES, HELD_OUT):
        expected = {entry_id for item in queries for entry_id in item["expect"]}
        assert expected >= set(BRIEF_IDS)
        assert not [entry_id for entry_id in expected if content.resolve(entry_id) is None]


def score(page, content: Content, queries: list[dict]) -> dict:
    """hit@1, hit@3 and the misses of `queries`, from the page's search worker."""
    hit1 = hit3 = 0
    misses = []
    for item, found in zip(queries, worker_result_ids(page, [item["query"] for item in queries])):
        expected = {content.resolve(entry_id).id if content.resolve(entry_id) else entry_id
                    for entry_id in item["expect"]}
        hit1 += bool(found[:1] and found[0] in expected)
        if expected & set(found[:3]):
            hit3 += 1
        else:
            misses.append({"query": item["query"], "expect": item["expect"], "got": found[:3]})
    total = len(queries)
    return {"queries": total, "hit@1": round(hit1 / total, 3), "hit@3": round(hit3 / total, 3), "misses": misses}


def test_search_quality(page, site_url):
    """The tuning set must stay above its goal; the held-out set (never used for tuning) is
    measured and reported only, so it keeps telling how search does on queries nobody fitted.
    Its misses are neither printed nor written: reading them would spend the set."""
    content = Content.load(ROOT)
    page.goto(site_url)
    report = score(page, content, QUERIES)
    held_out = score(page, content, HELD_OUT)
    report["held_out"] = {key: value for key, value in held_out.items() if key != "misses"}
    (ROOT / "test-results").mkdir(exist_ok=True)
    (ROOT / "test-results" / "search-quality.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    for name, result in (("tuning set", report), ("held-out set", report["held_out"])):
        print(f"\nsearch quality, {name}: {result['queries']} queries, hit@1 {result['hit@1']:.1%}, "
              f"hit@3 {result['hit@3']:.1%}")
    assert report["hit@3"] >= HIT3_GOAL, json.dumps(report["misses"], ensure_ascii=False, indent=1)


def test_the_worker_ranks_as_the_search_box_shows(page, site_url):
    """The quality is measured by asking the search worker directly; that is only a measure of
    what patients see if the box shows the same order."""
    sample = [item["query"] for item in QUERIES[::20] + HELD_OUT[::20]]
    page.goto(site_url)
    open_search(page)
    shown = [result_ids(page, query)[:5] for query in sample]
    assert sum(bool(ids) for ids in shown) >= len(sample) - 2
    assert shown == [ids[:5] for ids in worker_result_ids(page, sample)]


def test_the_held_out_set_is_its_own():
    """Held out means not the tuning queries: no query is in both sets."""
    assert len(HELD_OUT) >= 60
    assert not {item["query"] for item in QUERIES} & {item["query"] for item in HELD_OUT}


def test_query_without_diacritics_finds_the_entry(page, fixture_url):
    page.goto(fixture_url)
    open_search(page)
    assert result_ids(page, "hogkostnadsskydd")[:1] == ["frikort-hogkostnadsskydd"]
    assert result_ids(page, "högkostnadsskydd")[:1] == ["frikort-hogkostnadsskydd"]


def test_hidden_keyword_finds_the_entry_but_is_not_shown(page, fixture_url):
    entry = fixture_content().entries["lasa-journal"]
    page.goto(fixture_url + "fragor/lasa-journal/")
    visible = page.inner_text("body").lower()
    hidden = [word for word in entry.keywords if word not in visible]
    assert hidden, "lasa-journal behöver ett sökord som inte står i svaret"
    page.goto(fixture_url)
    open_search(page)
    assert "lasa-journal" in result_ids(page, hidden[0])[:3]
    # Material lists the query words a weaker result lacks ("Saknas: …"): that echoes the
    # query, it does not show the keyword, so it is left out here.
    shown = page.evaluate("""() => [...document.querySelectorAll(".md-search-result__article")].map(article => {
        const copy = article.cloneNode(true);
        copy.querySelectorAll(".md-search-result__terms").forEach(terms => terms.remove());
        return copy.textContent;
    }).join(" ")""")
    assert shown.strip() and hidden[0] not in shown.lower()
