"""Options of the FAQ plugin (`plugins: - portal-faq:` in mkdocs.yml)."""

from mkdocs.config import config_options as options
from mkdocs.config.base import Config


class FaqConfig(Config):
    root = options.Type(str, default=".")
    """Folder holding `content/`, relative to mkdocs.yml."""
    keyword_field = options.Type(str, default="keywords")
    """Name of the hidden search-index field for keywords; must be listed under search `fields`."""
