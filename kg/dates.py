"""Dates as curators write them, kept at their precision as XSD literals.

``2018-11-06`` (day), ``2018-11`` (month), ``2018`` (year) and ``--11-06``
(day and month, year unknown) map to ``xsd:date``, ``xsd:gYearMonth``,
``xsd:gYear`` and ``xsd:gMonthDay``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD

from kg.errors import BadDate

_FORMS = [  # ASCII digits only: \d would take other scripts' digits, which no XSD literal has
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), "day", XSD.date),
    (re.compile(r"([0-9]{4})-([0-9]{2})"), "month", XSD.gYearMonth),
    (re.compile(r"([0-9]{4})"), "year", XSD.gYear),
    (re.compile(r"--([0-9]{2})-([0-9]{2})"), "month-day", XSD.gMonthDay),
]


@dataclass(frozen=True)
class Date:
    """A date at a known precision; ``text`` is its canonical lexical form."""

    text: str
    precision: str

    def literal(self) -> Literal:
        """The XSD-typed literal for this date."""
        datatype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear, "month-day": XSD.gMonthDay}[
            self.precision
        ]
        return Literal(self.text, datatype=datatype)

    def first_day(self) -> dt.date | None:
        """The first day of the period the date names; None when the year is unknown."""
        if self.precision == "month-day":
            return None
        parts = [int(p) for p in self.text.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def parse_date(text: str) -> Date:
    """Parse a curated date, rejecting malformed and impossible ones (e.g. 2023-02-30)."""
    for pattern, precision, _ in _FORMS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            if precision == "day":
                dt.date(*parts)
            elif precision == "month":
                dt.date(parts[0], parts[1], 1)
            elif precision == "year":
                dt.date(parts[0], 1, 1)  # there is no year 0
            elif precision == "month-day":
                dt.date(2000, *parts)  # a leap year, so --02-29 is allowed
        except ValueError as err:
            raise BadDate(f"impossible date '{text}': {err}") from None
        return Date(text, precision)
    raise BadDate(f"bad date '{text}': write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (year unknown)")
