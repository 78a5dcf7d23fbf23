"""Driving Material's search box like a patient does, and reading the result order."""

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
    hrefs = page.evaluate(SEARCH_JS, query)
    ids = []
    for href in hrefs:
        parts = [part for part in href.split("#")[0].split("/") if part and part != ".."]
        if "fragor" in parts:
            entry_id = parts[parts.index("fragor") + 1]
            if entry_id not in ids:
                ids.append(entry_id)
    return ids
