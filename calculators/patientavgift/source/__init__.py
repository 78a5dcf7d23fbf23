"""Reading the fee data from YAML: `content/fees/` validated and compiled to the document that
`FeeTables.from_dict` reads.

The only part of the package that needs PyYAML (the extra `yaml`:
`pip install './calculators[yaml]'`); the rest is standard library only and imports this
subpackage nowhere but in the command line's loader, so the browser's wheel leaves it out. The
portal's `check` and the command line (run from a checkout) both read the YAML through it, with
the same messages: `file:line: field: what is wrong and how to fix it`, in Swedish.
"""

from .fees import (
    FEES_DIR, REGION_CODES, compile_fees, load_fee_document, national_clinic_name_in, site_national_clinic_name,
)
from .problems import CHECK_COMMAND, Problem, SourceError
from .schema import SCHEMA_DIR, load_schema, read_and_validate

__all__ = [
    "CHECK_COMMAND", "FEES_DIR", "REGION_CODES", "SCHEMA_DIR", "Problem", "SourceError", "compile_fees",
    "load_fee_document", "load_schema", "national_clinic_name_in", "read_and_validate", "site_national_clinic_name",
]
