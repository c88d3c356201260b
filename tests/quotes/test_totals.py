"""The rounding rule on hand-computed examples, without a database: each line's
subtotal, discount and tax rounded half-up to the currency's minor unit."""

from __future__ import annotations

from decimal import Decimal as D

from crm_graph.domains.products.money import minor_units, round_money
from crm_graph.domains.quotes.totals import line_amounts, overall_discount_percent


def test_a_line_rounds_its_subtotal_discount_and_tax_half_up_to_the_cent():
    # 3 x 19.99 = 59.97; 10% = 5.997 -> 6.00; net 53.97; 8.25% = 4.452525 -> 4.45.
    got = line_amounts(D(3), D("19.99"), D(10), D("8.25"), "USD")
    assert (got.subtotal, got.discount_amount, got.net_amount, got.tax_amount, got.total) == (
        D("59.97"),
        D("6.00"),
        D("53.97"),
        D("4.45"),
        D("58.42"),
    )


def test_half_a_cent_rounds_up_not_to_even():
    assert line_amounts(D(1), D("0.125"), D(0), D(0), "USD").subtotal == D("0.13")  # banker's: 0.12
    assert line_amounts(D(1), D("0.135"), D(0), D(0), "USD").subtotal == D("0.14")


def test_currencies_round_to_their_own_minor_unit():
    assert (minor_units("JPY"), minor_units("KWD"), minor_units("EUR")) == (0, 3, 2)
    assert round_money(D("2.5"), "JPY") == D(3)
    kwd = line_amounts(D(1), D("1.2345"), D(0), D(5), "KWD")  # 1.2345 -> 1.235; 5% = 0.06175 -> 0.062
    assert (kwd.subtotal, kwd.tax_amount, kwd.total) == (D("1.235"), D("0.062"), D("1.297"))


def test_the_overall_discount_is_a_share_of_the_subtotal():
    assert overall_discount_percent(D("200.00"), D("50.00")) == D(25)
    assert overall_discount_percent(D(0), D(0)) == D(0)
