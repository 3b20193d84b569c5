"""kg.figures: totals of reported counts, by the rules every aggregate follows."""

from __future__ import annotations

import pytest

from kg.figures import Figure, Total, total


@pytest.mark.parametrize(
    ("figures", "shown"),
    [
        # one reporter per side: summed over sides and parties
        ([Figure("perpetrators", "a", 15), Figure("targets", "b", 1), Figure("responders", "c", 1)], "17"),
        # two reporters for the same side and party: a range, never a sum
        ([Figure("perpetrators", "a", 5, reporter="x"), Figure("perpetrators", "a", 4, reporter="y")], "4-5"),
        # an "at least" sets the high end: marked
        ([Figure(minimum=7), Figure("perpetrators", "a", 5, subset=True)], "≥7"),
        # an "at least" below another reporter's exact figure: a range, the exact figure on top
        ([Figure("p", "a", 15), Figure("p", "a", minimum=1)], "1-15"),
        # a range given by one reporter
        ([Figure("p", "a", minimum=6000, maximum=7000)], "6000-7000"),
        # ranges add up: 4-5 detained of one party and 2 of another
        ([Figure("p", "a", 4), Figure("p", "a", 5), Figure("p", "b", 2)], "6-7"),
        # an "at least" that another reporter's exact figure meets: closed
        ([Figure("p", "a", minimum=7, reporter="x"), Figure("p", "a", 7, reporter="y")], "7"),
        # seizures by different takers are added, not ranged
        ([Figure(value=5, taken_by="x", taken_from="y"), Figure(value=3, taken_by="z", taken_from="y")], "8"),
    ],
)
def test_totals_follow_the_count_rules(figures, shown):
    assert str(total(figures)) == shown


def test_only_subsets_or_nothing_is_no_total():
    assert total([]) is None
    assert total([Figure("p", "a", 5, subset=True)]) is None


def test_a_total_reads_its_ends():
    assert (Total(7, 7).__str__(), Total(4, 5).__str__(), Total(4, 5, at_least=True).__str__()) == ("7", "4-5", "≥4-5")
