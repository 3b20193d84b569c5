"""Curated dates keep their precision and reject impossible days."""

from __future__ import annotations

import pytest
from rdflib.namespace import XSD

from kg.dates import parse_date
from kg.errors import BadDate


@pytest.mark.parametrize(
    "text, precision, datatype",
    [
        ("2018-11-06", "day", XSD.date),
        ("2018-11", "month", XSD.gYearMonth),
        ("2018", "year", XSD.gYear),
        ("--08-30", "month-day", XSD.gMonthDay),
        ("--02-29", "month-day", XSD.gMonthDay),
    ],
)
def test_precision_and_datatype(text, precision, datatype):
    date = parse_date(text)
    assert (date.precision, date.literal().datatype, str(date.literal())) == (precision, datatype, text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2023-02-29", "impossible date '2023-02-29': day is out of range for month"),
        ("2023-13", "impossible date '2023-13': month must be in 1..12"),
        ("30 August", "bad date '30 August': write YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD (year unknown)"),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(BadDate) as info:
        parse_date(text)
    assert str(info.value) == message
