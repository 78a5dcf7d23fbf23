"""The rest of the standard library, fetched the first time an import needs it.

Runs in the browser's Python, not at build time: in_pyodide.py compiles this file into the
standard library zip that the page loads (as `_portal_stdlib_fallback`), and the calculator's
worker installs it after Pyodide has started.

The site splits Python's standard library in two (in_pyodide.py): the modules that Pyodide's
start and the calculator import, as bytecode, which is all a first visit downloads; and every
other module, as source, in a second zip. An import the build did not foresee (a rarely taken
path, a new Python) must still work, so this finder, last on sys.meta_path, is asked about any
module that nothing else found. When the module is one of the second zip's, it fetches that
zip once, puts it on sys.path and finds the module there. The fetch is synchronous because an
import cannot wait for a promise; a Web Worker may block. A failed fetch leaves the import to
fail as it would have without this finder, and the next import tries again.

Only sys and frozen modules are imported here: anything else could itself be in the second zip.
"""

import sys

REST = "/lib/python_stdlib_rest.zip"
"""Where the second zip is written in Pyodide's file system."""
NAMES = "_portal_stdlib_fallback.txt"
"""The second zip's modules, one dotted name a line, stored beside this module."""


class RestOfStandardLibrary:
    """A meta path finder for the modules of the second zip."""

    def __init__(self, fetch, names: frozenset, core: str) -> None:
        self.fetch = fetch
        """Returns the second zip's bytes (a JavaScript Uint8Array), or raises."""
        self.names = names
        self.core = core
        """The path of the zip this module came from, as it stands on sys.path."""
        self.fetched = False

    def find_spec(self, name, path=None, target=None):
        if name not in self.names or not self._fetched():
            return None
        import _frozen_importlib_external

        # A submodule of a package from the first zip (json.tool) is searched in the same
        # package's folder of the second zip.
        search = [entry.replace(self.core, REST, 1) for entry in path] if path else [REST]
        return _frozen_importlib_external.PathFinder.find_spec(name, search, target)

    def _fetched(self) -> bool:
        if not self.fetched:
            try:
                data = self.fetch().to_bytes()
            except Exception:  # offline or blocked: the import fails as it would have
                return False
            with open(REST, "wb") as file:
                file.write(data)
            sys.path.append(REST)
            self.fetched = True
        return True


def install(fetch) -> None:
    """Add the finder; `fetch` is the JavaScript function that downloads the second zip."""
    loader = __spec__.loader
    names = frozenset(loader.get_data(NAMES).decode("utf-8").split())
    sys.meta_path.append(RestOfStandardLibrary(fetch, names, loader.archive))
