"""Patient fees and the high-cost protection (högkostnadsskydd) for Swedish outpatient care.

The rules in `rules.py` hold no amounts: every number comes from dated fee data
(`content/fees/` in the portal, compiled to `fees.json`), looked up for the visit's date.
"""

from .data import FeeTables
from .errors import CalculatorError, InputError, UnknownFeeError
from .rules import Result, Visit, calculate

__all__ = [
    "CalculatorError", "FeeTables", "InputError", "Result", "UnknownFeeError", "Visit", "calculate",
]
