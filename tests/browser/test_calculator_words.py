"""The calculator talks to a patient: where care is sought comes first and only its choices are
offered, the answer is the package's own sentence, and no birth date ever reaches a URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .conftest import run_axe
from .test_calculator import BASE, calculator_url, wait_for_result

BIRTH_DATE = "1986-05-17"


def offered(page, name: str) -> list[str]:
    return page.evaluate("""(name) => [...document.querySelectorAll(`select[name=${name}] option`)]
        .filter(option => !option.hidden && !option.disabled).map(option => option.value)""", name)


def test_the_form_asks_where_care_is_sought_first_and_hides_what_does_not_exist(page, fixture_url):
    page.goto(fixture_url + "kalkylator/")
    page.wait_for_selector("#kalkylator:not([hidden])")
    first = page.evaluate("() => document.querySelector('#kalkylator fieldset, #kalkylator select').tagName")
    assert first == "FIELDSET"
    assert page.locator("#kalkylator fieldset legend").first.inner_text() == "Var söker du vård?"
    at_clinic = offered(page, "contact")
    assert page.inner_text('label[for="kalk-region"]') == "Region där vårdcentralen ligger"
    national = page.locator('input[name="provider"][value="nationell"]')
    page.check('input[name="provider"][value="nationell"]')
    allowed = national.get_attribute("data-contacts").split()
    assert offered(page, "contact") == [value for value in at_clinic if value in allowed]
    assert page.input_value('select[name="contact"]') in allowed
    assert page.inner_text('label[for="kalk-region"]') == "Region där du är folkbokförd"
    assert run_axe(page) == []
    page.check('input[name="provider"][value="vardcentral"]')
    assert offered(page, "contact") == at_clinic


def test_the_answer_is_the_packages_own_sentence(page, fixture_url):
    page.goto(calculator_url(fixture_url, {**BASE, "region": "SE-AB", "age": "40", "paid": "1300",
                                           "period-start": "2025-06-01"}))
    wait_for_result(page)
    title = page.inner_text("#resultat .kalk-result__title")
    assert title.startswith(("Du betalar ", "Besöket kostar dig troligen ")), title
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.inner_text("#resultat .kalk-notes")), "dates as the pages write them"


def test_no_birth_date_reaches_the_address_history_or_a_copied_link(page, fixture_url):
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    case = {**BASE, "region": "SE-K", "birth-date": BIRTH_DATE}
    page.goto(calculator_url(fixture_url, case))  # an old link that still carries one
    wait_for_result(page)
    page.wait_for_function("() => new URLSearchParams(location.search).has('age')")
    assert BIRTH_DATE not in page.evaluate("location.href")
    assert parse_qs(urlsplit(page.evaluate("location.href")).query)["age"] == ["39"]  # on 2026-03-01
    page.fill('input[name="birth-date"]', "1990-01-02")
    page.click("#kalkylator button[type=submit]")
    page.wait_for_function("() => new URLSearchParams(location.search).get('age') === '36'")
    page.get_by_role("button", name="Kopiera länk till beräkningen").click()
    page.wait_for_function("() => document.querySelector('[data-kalk-copy] + .portal-copy__status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "1990-01-02" not in copied and "birth" not in copied
    assert parse_qs(urlsplit(copied).query)["age"] == ["36"]
    assert page.evaluate("history.length") >= 1 and "1990-01-02" not in page.evaluate("location.href")
    assert not [url for url in visited if "1990-01-02" in url]
