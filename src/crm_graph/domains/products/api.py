"""Product, price book and list price mutations."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import strawberry

from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.domains.products import service

UNSET = strawberry.UNSET


@strawberry.input(description="A new product; SKU and name are required.")
class ProductCreateInput:
    sku: str
    name: str
    family: Optional[str] = None
    unit: str = strawberry.field(default="each", description="Unit a quantity counts, e.g. each, seat, hour.")
    description: Optional[str] = None
    active: bool = strawberry.field(default=True, description="Only active products can be added to quotes.")


@strawberry.input(description="Only the fields you give change; null clears an optional field.")
class ProductUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    sku: Optional[str] = UNSET
    name: Optional[str] = UNSET
    family: Optional[str] = UNSET
    unit: Optional[str] = UNSET
    description: Optional[str] = UNSET
    active: Optional[bool] = UNSET


@strawberry.input(description="A new price book. The tenant's first book becomes its default.")
class PriceBookCreateInput:
    name: str
    currency: str = strawberry.field(description="ISO 4217 code of every price in the book, e.g. EUR.")
    is_default: bool = strawberry.field(default=False, description="Making it the default un-defaults the others.")
    active: bool = True
    description: Optional[str] = None


@strawberry.input(
    description="Only the fields you give change. The currency changes only while the book has no prices; "
    "the default changes by making another book the default."
)
class PriceBookUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    name: Optional[str] = UNSET
    currency: Optional[str] = UNSET
    is_default: Optional[bool] = UNSET
    active: Optional[bool] = UNSET
    description: Optional[str] = UNSET


@strawberry.input(description="A product's list price in a price book: created, changed, or restored if archived.")
class PriceBookEntrySetInput:
    price_book_id: strawberry.ID
    product_id: strawberry.ID
    list_price: Decimal = strawberry.field(description="Price of one unit in the book's currency, at least 0.")
    expected_version: Optional[int] = strawberry.field(
        default=None, description="When the price exists: the version you last read; refused with Conflict if stale."
    )


FIELDS = {
    "product_create": mutation(
        "productCreate",
        ProductCreateInput,
        entity="Product",
        policy=Policy("product", "create"),
        handler=service.create_product,
        description="Add a product to the catalog; its SKU must be new in the tenant.",
    ),
    "product_update": mutation(
        "productUpdate",
        ProductUpdateInput,
        entity="Product",
        policy=Policy("product", "update"),
        handler=service.update_product,
        description="Change some fields of a product; quotes already made keep their prices.",
    ),
    **archive_mutations("Product", (service.archive_product, service.restore_product)),
    "price_book_create": mutation(
        "priceBookCreate",
        PriceBookCreateInput,
        entity="PriceBook",
        policy=Policy("price_book", "create"),
        handler=service.create_price_book,
        description="Create a price book in one currency.",
    ),
    "price_book_update": mutation(
        "priceBookUpdate",
        PriceBookUpdateInput,
        entity="PriceBook",
        policy=Policy("price_book", "update"),
        handler=service.update_price_book,
        description="Rename a price book, make it the default, or change its other settings.",
    ),
    **archive_mutations("PriceBook", (service.archive_price_book, service.restore_price_book)),
    "price_book_entry_set": mutation(
        "priceBookEntrySet",
        PriceBookEntrySetInput,
        entity="PriceBookEntry",
        policy=Policy("price_book_entry", "update"),
        handler=service.set_price,
        ids={"price_book_id": "PriceBook", "product_id": "Product"},
        description="Set a product's list price in a price book.",
    ),
    **archive_mutations("PriceBookEntry", (service.archive_entry, service.restore_entry)),
}
