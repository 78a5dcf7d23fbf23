"""Stage 3: pages as data -> a plain docs tree that any MkDocs-compatible engine renders.

    build/
      mkdocs.yml      the repository's mkdocs.yml with what the content decides filled in
                      (site name, navigation, site-wide template values)
      docs/           one <url>/index.md with front matter per page (its body already HTML),
                      the files published as they are, portal/static/, and the calculator's
                      built files (hard links into .cache/)
      site/           where an engine that cannot be told another folder renders (Zensical
                      wants docs_dir and site_dir below its config file, given relatively)

The tree is written whole on every build, so it never holds a page the content no longer has.
No engine plugin is needed to read it: MkDocs + Material, Zensical, or MkDocs 2.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import BuildError
from ..pages import SitePages

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
"""Files copied into every site as they are: stylesheet, scripts, the calculator's worker."""
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
"""The template overrides (Material's `custom_dir`)."""
BUILD_DIR = Path("build")
"""Where the tree is written, relative to the repository root."""


class _SettingsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does, with its `!ENV` tag; nothing else is executed."""


def _environment_variable(loader: _SettingsLoader, node: yaml.Node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    for name in names[:-1] if len(names) > 1 else names:
        if name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else None


_SettingsLoader.add_constructor("!ENV", _environment_variable)


def read_settings(root: Path) -> dict:
    """The repository's mkdocs.yml: the engine settings that do not depend on the content."""
    path = root / "mkdocs.yml"
    try:
        with path.open(encoding="utf-8") as file:
            return yaml.load(file, Loader=_SettingsLoader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BuildError(f"mkdocs.yml kunde inte läsas: {error}") from None


@dataclass
class DocsTree:
    """A written docs tree and the engine settings that go with it."""

    config_file: Path
    """The generated mkdocs.yml (what the engines read)."""
    docs_dir: Path
    """The pages and files."""

    @classmethod
    def write(cls, site: SitePages, root: Path, settings: dict, *, extra_javascript: list[str] = (),
              build_dir: Path | None = None) -> DocsTree:
        """Write `site` to `build_dir` (by default `root`/build/) with the engine `settings`
        (read_settings). `extra_javascript`: scripts added for this build only (the live
        reload of serve)."""
        settings = dict(settings)
        build_dir = build_dir or root / BUILD_DIR
        docs_dir = build_dir / "docs"
        if docs_dir.exists():
            shutil.rmtree(docs_dir)
        shutil.copytree(STATIC_DIR, docs_dir)
        for page in site.pages:
            _write(docs_dir / page.path, page.markdown())
        for path, text in site.files.items():
            _write(docs_dir / path, text)
        for path, source in site.linked.items():
            target = docs_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:  # another file system: copy instead
                shutil.copyfile(source, target)
        theme = dict(settings.get("theme") or {})
        theme["custom_dir"] = str(THEME_DIR)
        extra = dict(settings.get("extra") or {})
        extra["portal"] = site.extra
        settings.update({
            "site_name": site.site_name,
            "docs_dir": "docs",
            "site_dir": "site",
            "theme": theme,
            "nav": site.nav,
            "extra": extra,
            "extra_javascript": [*(settings.get("extra_javascript") or []), *extra_javascript],
        })
        settings.pop("watch", None)  # serve watches the sources itself (portal/serve.py)
        config_file = build_dir / "mkdocs.yml"
        # Through JSON first: values read from content/ are str subclasses that carry their line.
        plain = json.loads(json.dumps(settings, ensure_ascii=False))
        _write(config_file, "# Written by python3 build.py from mkdocs.yml and content/; do not edit.\n"
               + yaml.safe_dump(plain, allow_unicode=True, sort_keys=False))
        return cls(config_file=config_file, docs_dir=docs_dir)

    @property
    def site_dir(self) -> Path:
        """Where the config says the site goes (build/site/)."""
        return self.config_file.parent / "site"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
