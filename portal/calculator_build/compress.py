"""Precompressed copies of the calculator's large files, for hosts that serve them.

nginx (`gzip_static on`, and `brotli_static on` with the ngx_brotli module) and GitLab Pages
send `name.br` or `name.gz` instead of `name` when the browser accepts that encoding; that
costs the host nothing per request and gets the strongest compression, done once here.
Hosts that compress by themselves (Netlify, Cloudflare Pages, GitHub Pages) ignore the
copies. Only text and WebAssembly are worth it: the zips and the wheel are compressed inside.

Brotli comes from Node's zlib (Node is needed at build time anyway; brotli.mjs), gzip from
Python's at level 9. Both are kept in the build cache by the hash of the file.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from ..errors import BuildError

from .buildcache import cached_folder

BROTLI_SCRIPT = Path(__file__).resolve().parent / "brotli.mjs"
ENCODINGS = (".br", ".gz")
"""The suffixes of the precompressed copies, as nginx and GitLab Pages look for them."""


def precompressed(source: Path, cache_dir: Path) -> dict[str, Path]:
    """`source`'s precompressed copies by suffix ('.br', '.gz'), made the first time."""

    def make(folder: Path) -> None:
        node = shutil.which("node")
        if node is None:
            raise BuildError("Node.js saknas: kalkylatorns filer komprimeras med Node.")
        result = subprocess.run([node, str(BROTLI_SCRIPT), str(source), str(folder / (source.name + ".br"))],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise BuildError(f"Kunde inte komprimera {source.name} med Brotli:\n{result.stderr[-2000:]}")
        # mtime 0: the same input gives the same file, whenever it is built.
        with open(folder / (source.name + ".gz"), "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as file:
            file.write(source.read_bytes())

    folder = cached_folder(cache_dir, [source, BROTLI_SCRIPT], make)
    return {suffix: folder / (source.name + suffix) for suffix in ENCODINGS}
