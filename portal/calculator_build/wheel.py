"""The calculator wheel for the browser: the package's modules and the compiled fee data.

Written with zipfile rather than `pip wheel`: the browser needs only the standard-library
modules of `calculators/patientavgift/` and its `fees.json`, never the YAML reader
(`patientavgift/source/`, which needs PyYAML), and a wheel is a zip with three small
metadata files. Every entry has the same timestamp, so the same inputs give the same bytes
(and the same cache folder, and the same hashed address in the site). Nothing is written
into `calculators/`.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import tomllib
import zipfile
from pathlib import Path

PACKAGE = "patientavgift"
TIMESTAMP = (2020, 1, 1, 0, 0, 0)
"""Fixed, so that a rebuild with the same inputs is byte for byte the same wheel."""


def browser_modules(project_dir: Path) -> list[Path]:
    """The package's own modules (not its subpackages: those are for native use only)."""
    return sorted((project_dir / PACKAGE).glob("*.py"))


def write_wheel(project_dir: Path, fee_document: dict, folder: Path) -> Path:
    """Write `<name>-<version>-py3-none-any.whl` into `folder` and return its path."""
    project = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    files = {f"{PACKAGE}/{path.name}": path.read_bytes() for path in browser_modules(project_dir)}
    files[f"{PACKAGE}/fees.json"] = json.dumps(fee_document, ensure_ascii=False, indent=1).encode()
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        f"Summary: {project.get('description', '')}\nRequires-Python: {project.get('requires-python', '')}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: portal\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([path, f"sha256={digest}", len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    files[f"{dist_info}/RECORD"] = record.getvalue().encode()
    target = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as wheel:
        for path, data in files.items():
            wheel.writestr(zipfile.ZipInfo(path, TIMESTAMP), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return target
