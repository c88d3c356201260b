"""Products and price books: what a tenant sells, and at what list price per currency."""

from __future__ import annotations

import uuid
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class Product(TenantRecord, table=True):
    __tablename__ = "products"
    __table_args__ = (
        # SKUs are compared case-insensitively: "ab-1" and "AB-1" are one product.
        sa.Index("ux_products_tenant_sku", "tenant_id", sa.text("lower(sku)"), unique=True),
        sa.Index("ix_products_tenant_name", "tenant_id", sa.text("lower(name)"), "id"),
        sa.Index("ix_products_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        sa.Index("ix_products_sku_trgm", "sku", postgresql_using="gin", postgresql_ops={"sku": "gin_trgm_ops"}),
        sa.Index("ix_products_tenant_family", "tenant_id", "family"),
        sa.Index("ix_products_tenant_active", "tenant_id", "active"),
        sa.Index("ix_products_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_products_tenant_updated", "tenant_id", "updated_at", "id"),
    )

    sku: str
    name: str
    family: str | None = None
    unit: str = "each"
    description: str | None = None
    active: bool = True


class PriceBook(TenantRecord, table=True):
    __tablename__ = "price_books"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "name"),
        # At most one default price book per tenant (archived ones are not default).
        sa.Index(
            "ux_price_books_tenant_default",
            "tenant_id",
            unique=True,
            postgresql_where=sa.text("is_default AND archived_at IS NULL"),
        ),
        sa.Index("ix_price_books_tenant_currency", "tenant_id", "currency"),
        sa.Index("ix_price_books_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_price_books_tenant_updated", "tenant_id", "updated_at", "id"),
    )

    name: str
    currency: str = Field(max_length=3)
    is_default: bool = False
    active: bool = True
    description: str | None = None


class PriceBookEntry(TenantRecord, table=True):
    __tablename__ = "price_book_entries"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "price_book_id", "product_id"),)

    price_book_id: uuid.UUID = Field(foreign_key="price_books.id", index=True)
    product_id: uuid.UUID = Field(foreign_key="products.id", index=True)
    # In the price book's currency; up to 4 decimal places (unit prices below a cent).
    list_price: Decimal = Field(sa_type=sa.Numeric())
