"""Turning an answer as written (Markdown with variables) into the HTML of its page.

Answers refer to contact details and amounts through variables so that nothing is typed
twice and no amount goes stale. What an editor may write between `{{ }}` is an allow-list,
checked on the parsed template before anything runs: a variable (`support.name`), one of a
few text filters (`| capitalize`), or `fraga('id')`. No arithmetic, loops, conditions or
calls, so `{{ 1/0 }}` or a huge range is a content error and never costs CPU time.

A variable's value is text: it is escaped for Markdown before it is put in the answer. Only
the answer's own Markdown makes markup, and the HTML it becomes is cleaned by the allow-list
in `portal/sanitize.py`. `check` and the page use this one conversion, so what is checked is
exactly what is published.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import jinja2
import markdown
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from patientavgift.data import DatedValue
from patientavgift.rules import kronor

from ..build_date import build_date
from .content import Content, Entry
from ..errors import Problem
from .sanitize import clean_html, html_link, markdown_text

MARKDOWN_EXTENSIONS = ["sane_lists"]
"""Markdown extensions allowed in content; attr_list and raw-HTML extensions stay off."""
ALLOWED_FILTERS = frozenset({"capitalize", "lower", "upper"})
"""Filters an editor may put after a variable; each only changes the case of text."""
ENTRY_PAGE = "../../"
"""From an entry page (/fragor/<id>/) to the site's root."""
HOME_PAGE = ""
"""From the home page to the site's root."""

_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
_FILTER_NAMES = [f"| {name}" for name in sorted(ALLOWED_FILTERS)]
_VARIABLE_HELP = (
    "mellan {{ och }} får det bara stå en variabel, t.ex. {{ support.email_link }}, eventuellt följd av "
    f"{', '.join(_FILTER_NAMES[:-1])} eller {_FILTER_NAMES[-1]}, eller {{{{ fraga('id') }}}}; "
    "se listan över variabler i README.md."
)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append((tag, value))


class Snippet(str):
    """Markdown made by the portal itself (a link to an entry, an e-mail link): printed as it
    is, while every other value a variable prints is escaped as text."""


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


class TemplateRefused(Exception):
    """Something between `{{ }}` that is not on the allow-list."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        """The template line it is on (1-based)."""


class AnswerRenderer:
    """Renders answers and site texts for one loaded Content."""

    def __init__(self, content: Content, today: datetime.date | None = None) -> None:
        self.content = content
        """The content whose site settings and fee data the variables come from."""
        self.today = today or build_date()
        """The date amounts are looked up for (the build date)."""
        self.environment = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
            finalize=self._as_markdown,
        )
        """A sandbox as a second wall; the allow-list of `_refuse_outside_allow_list` is the first."""
        self._markdown_cache: dict[tuple[str, str], str] = {}
        """Markdown with variables filled in, by (text, path to the site's root)."""
        self._raw_html_cache: dict[tuple[str, str], str] = {}
        """HTML as Markdown made it, before cleaning, by (text, path to the site's root): the
        check reads its links and the page cleans it, from one conversion."""
        self._html_cache: dict[tuple[str, str], str] = {}
        """Clean HTML, by (text, path to the site's root)."""
        self._variables: dict[str, dict] = {}
        """The variables by path to the site's root."""
        self._markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
        """One converter, reset between texts (building one per text costs more than converting)."""
        self.warnings: list[Problem] = []
        """What `check_text` found that works but should be tidied up (an old id in fraga())."""

    def _as_markdown(self, value):
        """Every {{ … }} prints text (escaped for Markdown) or a Snippet the portal made."""
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
        if isinstance(value, Snippet):
            return value
        return markdown_text(str(value))

    def variables(self, root: str) -> dict:
        """The variables an answer can use; `root` leads from the page to the site's root."""
        site = self.content.site
        support = dict(site["support"])
        support["email_link"] = Snippet(html_link(f"mailto:{support['email']}", support["email"]))
        support["phone_link"] = Snippet(html_link(f"tel:{support['phone_international']}", support["phone"]))
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
            "fraga": lambda entry_id: self._link_to_entry(entry_id, root),
            "kalkylator_link": Snippet(html_link(f"{root}kalkylator/", "Räkna ut din avgift")),
        }

    def _fee(self, name: str) -> Amount:
        value = self.content.fees.at(name, self.today)
        if value is None or value.value is None:
            raise jinja2.UndefinedError(f"avgiftsdata saknas för {name} den {self.today}")
        return Amount(value)

    def _free_age_by_region(self) -> str:
        """'I 15 regioner är vården gratis för alla under 20 år, i 3 till och med …' from the data."""
        groups: dict[tuple[str, int], int] = {}
        uncertain = 0
        for region in self.content.fees.tables.regions.values():
            rule = region.age_rule_at(self.today)
            if rule is not None and rule.kind != "unknown" and rule.age is not None:
                groups[(rule.kind, rule.age)] = groups.get((rule.kind, rule.age), 0) + 1
                uncertain += bool(rule.remark)
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
        # A count that rests on old or unconfirmed data says so: a patient may act on it.
        caveat = (f" För {uncertain} av regionerna är uppgiften äldre eller inte bekräftad, så fråga "
                  "din region om du är osäker." if uncertain else "")
        return f"Vården är gratis längre {listed}.{caveat}"

    def _link_to_entry(self, entry_id: str, root: str) -> Snippet:
        entry = self.content.resolve(entry_id)
        if entry is None:
            raise jinja2.UndefinedError(f"fraga('{entry_id}'): det finns ingen fråga med det id:t")
        target = f"../{entry.id}/" if root == ENTRY_PAGE else f"{root}{entry.url}"
        return Snippet(html_link(target, entry.question))

    def markdown(self, text: str, root: str) -> str:
        """The Markdown of `text` with variables filled in; raises TemplateRefused or jinja2's
        errors for what an editor must fix."""
        key = (text, root)
        if key not in self._markdown_cache:
            if "{" in text:
                template = self.environment.parse(text)
                _refuse_outside_allow_list(template)
                if root not in self._variables:
                    self._variables[root] = self.variables(root)
                text = self.environment.from_string(template).render(self._variables[root])
            self._markdown_cache[key] = text
        return self._markdown_cache[key]

    def html(self, text: str, root: str) -> str:
        """The clean HTML of Markdown `text` on a page whose path to the site's root is `root`."""
        key = (text, root)
        if key not in self._html_cache:
            self._html_cache[key] = clean_html(self._raw_html(text, root))
        return self._html_cache[key]

    def _raw_html(self, text: str, root: str) -> str:
        """The HTML Markdown makes of `text` with its variables filled in, not yet cleaned."""
        key = (text, root)
        if key not in self._raw_html_cache:
            self._raw_html_cache[key] = self._to_html(self.markdown(text, root))
        return self._raw_html_cache[key]

    def entry_html(self, entry: Entry) -> str:
        """An entry's answer, its first use of each term linked to the glossary."""
        return self.content.glossary.link_first_uses(self.html(entry.answer, ENTRY_PAGE), ENTRY_PAGE)

    def _to_html(self, markdown_text: str) -> str:
        return self._markdown.reset().convert(markdown_text)

    def check_text(self, text: str, file: str, line: int, field: str, root: str) -> list[Problem]:
        """Every problem with one Markdown template: syntax, variables, HTML, links."""
        problems: list[Problem] = []
        if match := _RAW_HTML.search(text):
            offset = text[: match.start()].count("\n")
            problems.append(Problem(file, line + offset, field, (
                "HTML-kod är inte tillåten i svar; använd Markdown "
                "(t.ex. **fet**, [länktext](https://…), listor med -)."
            )))
        try:
            self.markdown(text, root)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(file, line + (error.lineno or 1) - 1, field, (
                f"fel i en variabel ({error.message}); skriv variabler som {{{{ support.email_link }}}}."
            )))
            return problems
        except TemplateRefused as error:
            problems.append(Problem(file, line + error.line - 1, field, str(error)))
            return problems
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as error:
            problems.append(Problem(file, line + _template_line(error) - 1, field, (
                f"okänd variabel eller fråga ({error}); se listan över variabler i README.md."
            )))
            return problems
        except RecursionError:
            problems.append(Problem(file, line + _deepest_line(text) - 1, field, (
                "texten har för många nivåer av parenteser eller klamrar för att kunna läsas; " + _VARIABLE_HELP
            )))
            return problems
        except Exception as error:  # noqa: BLE001 - any failure in a text is the editor's to fix
            problems.append(Problem(file, line + _template_line(error) - 1, field, (
                f"variabeln går inte att använda så ({error}); " + _VARIABLE_HELP
            )))
            return problems
        if "{" in text:
            for call_line, entry_id in _entry_links(self.environment.parse(text)):
                if entry_id not in self.content.entries and entry_id in self.content.aliases:
                    new_id = self.content.aliases[entry_id].id
                    self.warnings.append(Problem(file, line + call_line - 1, field, (
                        f"fraga('{entry_id}'): '{entry_id}' är ett gammalt id för '{new_id}'; länken "
                        f"fungerar, men skriv fraga('{new_id}') i stället."
                    )))
        collector = _LinkCollector()
        collector.feed(self._raw_html(text, root))
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
            problems.extend(self.check_text(entry.answer, entry.file, entry.answer_line, "answer", ENTRY_PAGE))
        site = self.content.site
        for section, key, root in (("home", "intro", HOME_PAGE), ("fallback", "text", ENTRY_PAGE),
                                   ("safety", "text", HOME_PAGE)):
            if not isinstance(site.get(section), dict):
                continue  # an optional section left out
            text = site[section][key]
            problems.extend(self.check_text(
                text, "content/site.yml", getattr(text, "line", 1), f"{section}.{key}", root
            ))
        return problems


def _refuse_outside_allow_list(template: nodes.Template) -> None:
    """Raise TemplateRefused at the first thing that is not text or an allowed `{{ }}`."""
    for node in template.body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    _check_expression(child)
        else:
            raise TemplateRefused(node.lineno, (
                "{% … %} går inte att använda i texten (inga villkor eller loopar); " + _VARIABLE_HELP
            ))


def _check_expression(node: nodes.Node) -> None:
    if isinstance(node, nodes.Filter):
        if node.name not in ALLOWED_FILTERS or node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise TemplateRefused(node.lineno, f"filtret '| {node.name}' går inte att använda; " + _VARIABLE_HELP)
        _check_expression(node.node)
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "fraga":
        if (len(node.args) == 1 and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)
                and not (node.kwargs or node.dyn_args or node.dyn_kwargs)):
            return
        raise TemplateRefused(node.lineno, (
            "fraga() behöver ett id inom citattecken, t.ex. {{ fraga('avgift-barn') }}."
        ))
    if _variable_path(node) is not None:
        return
    if isinstance(node, nodes.Sub) and _variable_path(node.left) and _variable_path(node.right):
        name = f"{_variable_path(node.left)}-{_variable_path(node.right)}"
        raise TemplateRefused(node.lineno, (
            f"okänd variabel eller fråga ('{name}'): variabelnamn har inga bindestreck; " + _VARIABLE_HELP
        ))
    raise TemplateRefused(node.lineno, (
        "en beräkning eller ett anrop går inte att göra i texten; " + _VARIABLE_HELP
    ))


def _entry_links(template: nodes.Template) -> list[tuple[int, str]]:
    """(line, id) of every fraga('id') in an allowed template."""
    return [
        (call.lineno, call.args[0].value)
        for call in template.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name == "fraga" and call.args
        and isinstance(call.args[0], nodes.Const)
    ]


def _variable_path(node: nodes.Node) -> str | None:
    """'support.email' for a plain variable reference, None for anything else."""
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return node.name
    if isinstance(node, nodes.Getattr):
        parent = _variable_path(node.node)
        return f"{parent}.{node.attr}" if parent else None
    return None


def _deepest_line(text: str) -> int:
    """The line where brackets nest deepest: where a text too deep to parse goes wrong."""
    depth = deepest = 0
    line = found = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "([{":
            depth += 1
            if depth > deepest:
                deepest, found = depth, line
        elif char in ")]}":
            depth -= 1
    return found


def _template_line(error: Exception) -> int:
    """The template line an error happened on: jinja2 puts template lines in the traceback."""
    line = 1
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
