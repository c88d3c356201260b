"""Read declarations for products, price books and their entries (catalog data: tenant-wide)."""

from __future__ import annotations

from decimal import Decimal

from crm_graph.domains.products import models
from crm_graph.readside.common import lower, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Many, Order, Ref, TenantWide

PRODUCT = Entity(
    name="Product",
    record_type="product",
    table=models.Product.__table__,
    tag=90,
    fields=[
        Col("sku", str, description="Stock keeping unit: the product's code, unique in the tenant (case-insensitive)."),
        Col("name", str, description="Name of the product as quotes print it."),
        Col("family", str | None, description="Product family or line, e.g. Licences, Services."),
        Col("unit", str, description="Unit a quantity counts, e.g. each, seat, hour, month."),
        Col("description", str | None, description="Longer text printed under the name on quotes."),
        Col("active", bool, description="Only active products can be added to quotes."),
        *record_fields(),
    ],
    many=[
        Many(
            "prices",
            "PriceBookEntry",
            fk="product_id",
            order="created_at",
            description="Its list prices, one per price book it is in.",
        )
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name", "sku"), description="Case-insensitive text in the name or SKU."),
        Filter("family", FilterOp.EQ_ANY, ("family",), str, description="Products of any of these families."),
        Filter("active", FilterOp.EQ_ANY, ("active",), bool, description="Active (true) or inactive (false) products."),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name"), description="By name, case-insensitive."),
        Order("sku", lower("sku"), description="By SKU, case-insensitive."),
        *record_orders(),
    ],
    default_order="name",
    scope=TenantWide(),
    description="Something the tenant sells: a good, a licence or a service, with its SKU and unit.",
)

PRICE_BOOK = Entity(
    name="PriceBook",
    record_type="price_book",
    table=models.PriceBook.__table__,
    tag=91,
    fields=[
        Col("name", str, description="Name of the price book, e.g. Standard EUR, Public sector."),
        Col("currency", str, description="ISO 4217 code every list price of the book is in."),
        Col("is_default", bool, description="New quotes use this book unless another is given; one per tenant."),
        Col("active", bool, description="Only active price books can price new quotes."),
        Col("description", str | None, description="What the book is for (a segment, a region)."),
        *record_fields(),
    ],
    many=[
        Many(
            "entries",
            "PriceBookEntry",
            fk="price_book_id",
            order="created_at",
            description="Its list prices, one per product.",
        )
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",), description="Case-insensitive text contained in the name."),
        Filter("currency", FilterOp.EQ_ANY, ("currency",), str, description="Books in any of these currencies."),
        *record_filters(),
    ],
    orders=[Order("name", lower("name"), description="By name, case-insensitive."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A list of prices in one currency, for a segment or a region; one is the tenant's default.",
)

PRICE_BOOK_ENTRY = Entity(
    name="PriceBookEntry",
    record_type="price_book_entry",
    table=models.PriceBookEntry.__table__,
    tag=92,
    fields=[
        Col(
            "list_price",
            Decimal,
            description="Price of one unit of the product in the book's currency (up to 4 decimal places).",
        ),
        *record_fields(),
    ],
    refs=[
        Ref("price_book", "PriceBook", "price_book_id", description="The price book the price belongs to."),
        Ref("product", "Product", "product_id", description="The product priced."),
    ],
    orders=[*record_orders()],
    default_order="created_at",
    scope=TenantWide(),
    description="The list price of one product in one price book.",
)
