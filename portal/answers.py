"""Turning an answer as written (Markdown with jinja2 variables) into the Markdown of its page.

Answers refer to contact details and amounts through variables so that nothing is typed
twice and no amount goes stale. Rendering runs in jinja2's sandbox with undefined variables
as errors. Raw HTML is refused (and `<` escaped as a second line of defence), and links may
only be web, e-mail, phone or links inside the site, so content can never inject a script.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import jinja2
import markdown
from jinja2.sandbox import SandboxedEnvironment

from patientavgift.data import DatedValue
from patientavgift.rules import kronor

from .content import Content, Entry
from .errors import Problem

MARKDOWN_EXTENSIONS = ["sane_lists"]
"""Markdown extensions allowed in content; attr_list and raw-HTML extensions stay off."""

_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append((tag, value))


class Amount:
    """A dated amount as answers show it: `{{ fees.national_cap }}` renders as '1 450 kr'."""

    def __init__(self, dated: DatedValue) -> None:
        self.dated = dated
        """The value with its date, source and status."""

    def __str__(self) -> str:
        return kronor(self.dated.value)

    @property
    def year(self) -> int:
        return self.dated.valid_from.year

    @property
    def status_text(self) -> str:
        return self.dated.status_text

    @property
    def remark(self) -> str:
        """', uppgiften är ej bekräftad' when the value is not verified, else nothing."""
        return f", uppgiften är {self.status_text}" if self.status_text else ""


class AnswerRenderer:
    """Renders answer templates for one loaded Content."""

    def __init__(self, content: Content, today: datetime.date | None = None) -> None:
        self.content = content
        """The content whose site settings and fee data the variables come from."""
        self.today = today or datetime.date.today()
        """The date amounts are looked up for (the build date)."""
        self.environment = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
            finalize=self._only_text,
        )
        """A sandbox: templates can read variables but not reach Python internals."""
        self._rendered: dict[tuple[str, str], str] = {}
        """Rendered texts by (text, page folder): each answer is checked and then built."""
        self._variables: dict[str, dict] = {}
        """The variables by page folder."""
        self._html: dict[str, str] = {}
        """HTML by Markdown text: the check and the page description share one conversion."""
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
        """One converter, reset between texts (building one per text costs more than converting)."""

    def _only_text(self, value):
        """Every {{ … }} must print text: a whole group such as {{ support }} is a mistake."""
        if isinstance(value, jinja2.Undefined):
            return value  # printing it raises the usual "undefined" error
        if isinstance(value, (dict, list, tuple)) or callable(value):
            names = [name for variables in self._variables.values() for name, item in variables.items() if item is value]
            name = names[0] if names else "variabeln"
            choices = ", ".join(f"{{{{ {name}.{key} }}}}" for key in value) if isinstance(value, dict) else ""
            raise jinja2.UndefinedError(
                f"'{name}' är en grupp av uppgifter och kan inte skrivas ut som den är"
                + (f"; välj en av dem: {choices}" if choices else "")
            )
        return value

    def to_html(self, text: str) -> str:
        """HTML of Markdown `text` with the content's extensions (each text converted once)."""
        if text not in self._html:
            self._html[text] = self._markdown.reset().convert(text)
        return self._html[text]

    def variables(self, page_dir: str) -> dict:
        """The variables an answer can use; `page_dir` is the folder of the page linking."""
        site = self.content.site
        support = dict(site["support"])
        support["email_link"] = f"[{support['email']}](mailto:{support['email']})"
        support["phone_link"] = f"[{support['phone']}](tel:{support['phone_international']})"
        return {
            "organisation": site["organisation"],
            "national_clinic": site["national_clinic"],
            "login": site["login"],
            "support": support,
            "dpo": {"address": ", ".join(site["dpo"]["address_lines"])},
            "fees": {
                "national_cap": self._fee("hogkostnadsskydd.nationellt_tak"),
                "free_under_age": self._fee("alder.avgiftsfritt_under").dated.value,
                "free_age_by_region": self._free_age_by_region(),
            },
            "fraga": lambda entry_id: self._link_to_entry(entry_id, page_dir),
            "kalkylator_link": self._link_to_page("kalkylator.md", "Räkna ut din avgift", page_dir),
        }

    def _fee(self, name: str) -> Amount:
        value = self.content.fees.at(name, self.today)
        if value is None or value.value is None:
            raise jinja2.UndefinedError(f"avgiftsdata saknas för {name} den {self.today}")
        return Amount(value)

    def _free_age_by_region(self) -> str:
        """'I 15 regioner är vården gratis för alla under 20 år, i 3 till och med …' from the data."""
        groups: dict[tuple[str, int], int] = {}
        for region in self.content.fees.tables.regions.values():
            rule = region.age_rule_at(self.today)
            if rule is not None and rule.kind != "unknown" and rule.age is not None:
                groups[(rule.kind, rule.age)] = groups.get((rule.kind, rule.age), 0) + 1
        national = self._fee("alder.avgiftsfritt_under").dated.value
        parts = []
        for (kind, age), count in sorted(groups.items(), key=lambda item: -item[1]):
            regions = "region" if count == 1 else "regioner"
            if kind == "under" and age > national:
                parts.append(f"i {count} {regions} för alla under {age} år")
            elif kind == "end-of-year":
                parts.append(f"i {count} {regions} till och med det år man fyller {age}")
        if not parts:
            return ""
        listed = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1]
        return f"Vården är gratis längre {listed}."

    @staticmethod
    def _link_to_page(src_uri: str, text: str, page_dir: str) -> str:
        depth = page_dir.count("/") + 1 if page_dir else 0
        return f"[{text}]({'../' * depth}{src_uri})"

    def _link_to_entry(self, entry_id: str, page_dir: str) -> str:
        entry = self.content.entries.get(entry_id)
        if entry is None:
            raise jinja2.UndefinedError(f"fraga('{entry_id}'): det finns ingen fråga med det id:t")
        target = f"{entry.id}.md" if page_dir == "fragor" else f"fragor/{entry.id}.md"
        if page_dir and page_dir != "fragor":
            target = "../" * (page_dir.count("/") + 1) + target
        return f"[{entry.question}]({target})"

    def render(self, text: str, page_dir: str) -> str:
        """The Markdown of `text` with variables filled in and any `<` escaped."""
        key = (text, page_dir)
        if key not in self._rendered:
            if "{" in text:
                if page_dir not in self._variables:
                    self._variables[page_dir] = self.variables(page_dir)
                text = self.environment.from_string(text).render(self._variables[page_dir])
            self._rendered[key] = text.replace("<", "&lt;")
        return self._rendered[key]

    def render_entry(self, entry: Entry) -> str:
        return self.render(entry.answer, "fragor")

    def check_text(self, text: str, file: str, line: int, field: str, page_dir: str) -> list[Problem]:
        """Every problem with one Markdown template: syntax, variables, HTML, links."""
        problems: list[Problem] = []
        if match := _RAW_HTML.search(text):
            offset = text[: match.start()].count("\n")
            problems.append(Problem(file, line + offset, field, (
                "HTML-kod är inte tillåten i svar; använd Markdown "
                "(t.ex. **fet**, [länktext](https://…), listor med -)."
            )))
        try:
            rendered = self.render(text, page_dir)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(file, line + (error.lineno or 1) - 1, field, (
                f"fel i en variabel ({error.message}); skriv variabler som {{{{ support.email_link }}}}."
            )))
            return problems
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as error:
            problems.append(Problem(file, line + _template_line(error) - 1, field, (
                f"okänd variabel eller fråga ({error}); se listan över variabler i README.md."
            )))
            return problems
        except TypeError as error:
            problems.append(Problem(file, line + _template_line(error) - 1, field, (
                f"variabeln går inte att använda så ({error}); se listan över variabler i README.md."
            )))
            return problems
        collector = _LinkCollector()
        collector.feed(self.to_html(rendered))
        for tag, url in collector.urls:
            problems.extend(self._check_url(tag, url, text, file, line, field))
        return problems

    def _check_url(self, tag: str, url: str, text: str, file: str, line: int, field: str) -> list[Problem]:
        scheme = urlsplit(url).scheme.lower()
        where = line + text[: max(text.find(url), 0)].count("\n")
        if tag == "img" and (scheme or url.startswith("//")):
            return [Problem(file, where, field, (
                f"bilden {url} ligger på en annan webbplats; patienternas sidor får inte hämta något "
                "från andra webbplatser. Lägg bilden i webbplatsen eller ta bort den."
            ))]
        if scheme and scheme not in _ALLOWED_SCHEMES:
            return [Problem(file, where, field, (
                f"länken '{url}' är inte tillåten; länka med https://, mailto: eller tel:."
            ))]
        return []

    def check_all(self) -> list[Problem]:
        """Render every answer and the site texts, collecting every problem."""
        problems: list[Problem] = []
        for entry in self.content.entries.values():
            problems.extend(self.check_text(entry.answer, entry.file, entry.answer_line, "answer", "fragor"))
        site = self.content.site
        for section, key, page_dir in (("home", "intro", ""), ("fallback", "text", "fragor")):
            text = site[section][key]
            problems.extend(self.check_text(
                text, "content/site.yml", getattr(text, "line", 1), f"{section}.{key}", page_dir
            ))
        return problems


def _template_line(error: Exception) -> int:
    """The template line an error happened on: jinja2 puts template lines in the traceback."""
    line = 1
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
