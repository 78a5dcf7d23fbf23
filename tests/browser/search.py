"""Driving Material's search box like a patient does, and reading the result order; and asking
the site's search worker directly, as the box does, for measuring many queries quickly."""

from __future__ import annotations

SEARCH_JS = """async (query) => {
    const input = document.querySelector(".md-search__input");
    const list = document.querySelector(".md-search-result__list");
    const meta = document.querySelector(".md-search-result__meta");
    const changed = new Promise(resolve => {
        const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
        observer.observe(meta, {childList: true, characterData: true, subtree: true});
        observer.observe(list, {childList: true, subtree: true});
        setTimeout(() => { observer.disconnect(); resolve(); }, 2000);
    });
    input.value = query;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "End"}));
    await changed;
    await new Promise(resolve => setTimeout(resolve, 150));
    return [...list.querySelectorAll(":scope > li > a")].map(a => a.getAttribute("href"));
}"""


def open_search(page) -> None:
    """Open the search box from the home page's big button and wait until the index is loaded."""
    if not page.evaluate("document.getElementById('__search').checked"):
        page.click("[data-portal-open-search]")
    page.wait_for_function(
        """() => {
            // Material shows its placeholder text once the index has loaded.
            const meta = document.querySelector(".md-search-result__meta");
            const ready = JSON.parse(document.getElementById("__config").textContent)
                .translations["search.result.placeholder"];
            return meta && meta.textContent.trim() === ready;
        }""",
        timeout=20000,
    )


def result_ids(page, query: str) -> list[str]:
    """Entry ids of the results for `query`, best first."""
    return _entry_ids(page.evaluate(SEARCH_JS, query))


def _entry_ids(hrefs: list[str]) -> list[str]:
    ids = []
    for href in hrefs:
        parts = [part for part in href.split("#")[0].split("/") if part and part != ".."]
        if "fragor" in parts:
            entry_id = parts[parts.index("fragor") + 1]
            if entry_id not in ids:
                ids.append(entry_id)
    return ids


WORKER_JS = """async (queries) => {
    // The worker and the index the page itself uses (Material's __config), spoken to with
    // Material's own messages: 0 sets the index up, 2 is a query, 3 its results.
    const config = JSON.parse(document.getElementById("__config").textContent);
    const index = await (await fetch(new URL("search/search_index.json", new URL(config.base + "/", location.href)))).json();
    index.options = {suggest: false};
    const worker = new Worker(new URL(config.search, location.href).href);
    const reply = () => new Promise((resolve, reject) => {
        worker.onmessage = event => resolve(event.data);
        worker.onerror = event => reject(new Error(event.message));
    });
    let answer = reply();
    worker.postMessage({type: 0, data: index});
    await answer;
    const found = [];
    for (const query of queries) {
        answer = reply();
        worker.postMessage({type: 2, data: query});
        found.push((await answer).data.items.map(group => group[0].location));
    }
    worker.terminate();
    return found;
}"""


def worker_result_ids(page, queries: list[str]) -> list[list[str]]:
    """Entry ids of the results for each query, best first, from the page's own search worker:
    the order the search box shows (tests/browser/test_search.py checks that they agree), about
    thirty times faster, so a query set of hundreds can be measured in seconds."""
    return [_entry_ids(locations) for locations in page.evaluate(WORKER_JS, queries)]
