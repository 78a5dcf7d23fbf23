"""Options of the calculator plugin (`plugins: - portal-calculator:` in mkdocs.yml)."""

from mkdocs.config import config_options as options
from mkdocs.config.base import Config


class CalculatorConfig(Config):
    package_dir = options.Type(str, default="calculators")
    """The calculator package's project folder (holds pyproject.toml), relative to mkdocs.yml."""
    pyodide_dir = options.Type(str, default="node_modules/pyodide")
    """The npm package `pyodide` (pinned in package-lock.json), self-hosted with the site."""
    cache_dir = options.Type(str, default=".cache/wheels")
    """Where built wheels are kept, by the hash of what went into them."""
    bytecode_cache_dir = options.Type(str, default=".cache/bytecode")
    """Where the wheel and standard library compiled for Pyodide are kept, likewise."""
    compressed_cache_dir = options.Type(str, default=".cache/compressed")
    """Where the precompressed copies of the runtime files are kept, by the hash of each file."""
    ordinary_fees_cache_dir = options.Type(str, default=".cache/ordinary-fees")
    """Where the table of ordinary fees the page shows while Python loads is kept."""
    nav_title = options.Type(str, default="Räkna ut din avgift")
    """The calculator's title in the navigation and on its page."""
