"""The date a build is for: amounts in answers and the calculator's fee table are looked up
on it. Today, unless PORTAL_BUILD_DATE names another day (tests, or a preview of the pages
as they will be on 1 January)."""

from __future__ import annotations

import datetime
import os

from .errors import PortalError

VARIABLE = "PORTAL_BUILD_DATE"


def build_date() -> datetime.date:
    """$PORTAL_BUILD_DATE (ÅÅÅÅ-MM-DD) if set, else today."""
    text = os.environ.get(VARIABLE, "").strip()
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PortalError(f"{VARIABLE}='{text}' är inget datum; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2027-01-01.") from None
