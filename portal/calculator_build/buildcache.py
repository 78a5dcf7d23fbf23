"""Build products kept in `.cache/`, by the hash of what went into them."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def cached_folder(cache_dir: Path, inputs: Iterable[Path | bytes], make: Callable[[Path], None]) -> Path:
    """The folder for these `inputs` (files, hashed by name and content, or data given as
    bytes), made by `make(folder)` the first time. `make` writes into a private temporary folder that is renamed once it has
    succeeded, so a failed or simultaneous build never leaves half a result behind."""
    digest = hashlib.sha256()
    for item in inputs:
        digest.update(item if isinstance(item, bytes) else item.name.encode() + b"\0" + item.read_bytes())
        digest.update(b"\0")
    target = cache_dir / digest.hexdigest()[:16]
    if target.is_dir():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=cache_dir))
    try:
        make(building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    try:
        building.rename(target)
    except OSError:  # another build made the same folder first
        shutil.rmtree(building, ignore_errors=True)
    return target
