"""The arithmetic of a quote, exact in Decimal. The rule, stated once:

- subtotal  = quantity x unit price, rounded half-up to the currency's minor unit;
- discount  = subtotal x discount percent / 100, rounded the same way;
- net       = subtotal - discount (exact: both are already rounded);
- tax       = net x tax rate / 100, rounded the same way (tax is per line);
- total     = net + tax;
- the quote's totals are the sums of its lines' (exact), its discount percent the
  largest line discount.

Rounding each line, then summing, is what an invoice printed line by line adds up
to; the sums are done in SQL over the stored line amounts (service.recompute).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm_graph.domains.products.money import round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineAmounts:
    subtotal: Decimal
    discount_amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    total: Decimal

    def as_values(self) -> dict[str, Decimal]:
        return {
            "subtotal": self.subtotal,
            "discount_amount": self.discount_amount,
            "net_amount": self.net_amount,
            "tax_amount": self.tax_amount,
            "total": self.total,
        }


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_rate: Decimal, currency: str
) -> LineAmounts:
    subtotal = round_money(quantity * unit_price, currency)
    discount = round_money(subtotal * discount_percent / HUNDRED, currency)
    net = subtotal - discount
    tax = round_money(net * tax_rate / HUNDRED, currency)
    return LineAmounts(subtotal, discount, net, tax, net + tax)


def overall_discount_percent(subtotal: Decimal, discount_total: Decimal) -> Decimal:
    """The quote's discount as a percent of its subtotal (0 for an empty quote)."""
    if subtotal == 0:
        return Decimal(0)
    return discount_total * HUNDRED / subtotal
