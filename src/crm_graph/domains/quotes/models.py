"""Quotes on an opportunity, their lines, and each tenant's quoting settings.

Amounts are `numeric` without a fixed scale: each is stored rounded to its
currency's minor unit (crm_graph.domains.products.money), so USD prints 2 decimals,
JPY none and KWD 3. Line amounts and quote totals are stored with the row (written
by every change of a line), so both read paths read them as columns and they can be
filtered and sorted.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class QuoteStatus(enum.Enum):
    """Where a quote stands: draft -> in review -> approved -> sent -> accepted / rejected / expired."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"

    __descriptions__: ClassVar[dict[str, str]] = {
        "DRAFT": "Being prepared; its lines can change.",
        "IN_REVIEW": "Submitted with a discount above the tenant's threshold: waiting for a sales manager.",
        "APPROVED": "Ready to send: approved, or under the threshold when submitted.",
        "SENT": "Sent to the customer.",
        "ACCEPTED": "The customer accepted it; the opportunity's amount follows it.",
        "REJECTED": "The customer declined it.",
        "EXPIRED": "Its valid-until date passed before it was accepted.",
    }


def money() -> sa.Numeric[Decimal]:
    return sa.Numeric()


def zero() -> dict[str, str]:
    return {"server_default": "0"}


class QuoteSettings(TenantRecord, table=True):
    __tablename__ = "quote_settings"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    # A quote whose largest line discount or overall discount exceeds this (percent)
    # needs a sales manager's approval before it can be sent.
    discount_threshold: Decimal = Field(default=Decimal(20), sa_type=sa.Numeric(5, 2))
    # Jinja2 template of the printable quote; null: the built-in template.
    document_template: str | None = None
    company_name: str | None = None
    default_valid_days: int = 30


class Quote(TenantRecord, table=True):
    __tablename__ = "quotes"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "number", "revision"),
        sa.Index("ix_quotes_opportunity", "opportunity_id", "created_at", "id"),
        sa.Index("ix_quotes_tenant_status_valid", "tenant_id", "status", "valid_until"),
        sa.Index("ix_quotes_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_quotes_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_quotes_tenant_valid_until", "tenant_id", "valid_until"),
        sa.Index("ix_quotes_tenant_grand_total", "tenant_id", "grand_total"),
        sa.Index("ix_quotes_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )

    opportunity_id: uuid.UUID = Field(foreign_key="opportunities.id")
    number: int  # shared by all revisions: Q-00042 rev 2
    revision: int = 1
    previous_revision_id: uuid.UUID | None = Field(default=None, foreign_key="quotes.id", index=True)
    name: str
    status: str = Field(default=QuoteStatus.DRAFT.value)
    price_book_id: uuid.UUID | None = Field(default=None, foreign_key="price_books.id", index=True)
    currency: str = Field(max_length=3)
    valid_until: date
    is_primary: bool = False
    notes: str | None = None
    subtotal: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    discount_total: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    net_total: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    tax_total: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    grand_total: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    max_discount_percent: Decimal = Field(default=Decimal(0), sa_type=money(), sa_column_kwargs=zero())
    submitted_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    submitted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    approved_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class QuoteLine(TenantRecord, table=True):
    __tablename__ = "quote_lines"
    __table_args__ = (sa.Index("ix_quote_lines_quote_position", "quote_id", "position"),)

    quote_id: uuid.UUID = Field(foreign_key="quotes.id")
    position: int
    product_id: uuid.UUID = Field(foreign_key="products.id", index=True)
    description: str | None = None
    quantity: Decimal = Field(sa_type=sa.Numeric())
    list_price: Decimal | None = Field(default=None, sa_type=sa.Numeric())
    unit_price: Decimal = Field(sa_type=sa.Numeric())
    price_overridden: bool = False
    discount_percent: Decimal = Field(default=Decimal(0), sa_type=sa.Numeric(5, 2))
    tax_rate: Decimal = Field(default=Decimal(0), sa_type=sa.Numeric(6, 3))
    subtotal: Decimal = Field(default=Decimal(0), sa_type=money())
    discount_amount: Decimal = Field(default=Decimal(0), sa_type=money())
    net_amount: Decimal = Field(default=Decimal(0), sa_type=money())
    tax_amount: Decimal = Field(default=Decimal(0), sa_type=money())
    total: Decimal = Field(default=Decimal(0), sa_type=money())
