"""The demo's cast and word lists. Data only, so the generator in seed.py stays readable.

Order matters: the seed picks from these tuples by index, so reordering or editing a
list changes the generated demo (still deterministic, just different).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserSpec:
    email: str
    name: str
    roles: list[str]
    team: str | None = None


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: str
    teams: tuple[tuple[str, str | None], ...]  # (name, parent name), parents first
    users: tuple[UserSpec, ...]
    owners: tuple[str, ...]  # emails that own organizations; repeats weight the draw
    sellers: tuple[str, ...]  # emails that own opportunities


DEMO = TenantSpec(
    slug="demo",
    name="Demo Inc.",
    teams=(("Sales", None), ("Sales Reps", "Sales"), ("Marketing", None), ("Service", None)),
    users=(
        UserSpec("admin@demo.example", "Alice Admiral", ["admin"]),
        UserSpec("manager@demo.example", "Marcus Bennett", ["sales_manager"], "Sales"),
        UserSpec("rep1@demo.example", "Rachel Ortiz", ["sales_rep"], "Sales Reps"),
        UserSpec("rep2@demo.example", "Daniel Okafor", ["sales_rep"], "Sales Reps"),
        UserSpec("marketing@demo.example", "Mia Lindqvist", ["marketing_manager"], "Marketing"),
        UserSpec("service@demo.example", "Samuel Reyes", ["service_manager"], "Service"),
        UserSpec("analyst@demo.example", "Anika Sharma", ["analyst"]),
    ),
    owners=("rep1@demo.example",) * 4 + ("rep2@demo.example",) * 4 + ("manager@demo.example",),
    sellers=("rep1@demo.example", "rep2@demo.example"),
)
OTHER = TenantSpec(
    slug="other",
    name="Other Ltd.",
    teams=(),
    users=(UserSpec("admin@other.example", "Olivia Osterman", ["admin"]),),
    owners=("admin@other.example",),
    sellers=("admin@other.example",),
)

# Company names are "<prefix><root> <noun>", e.g. "Northwind Logistics".
NAME_PREFIXES = (
    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Gold", "Iron",
    "Stone", "River", "Lake", "Sun", "Moon", "Star", "Cloud", "Bright", "Clear", "Deep",
    "High", "Swift", "True", "Prime", "Nova", "Terra", "Aqua", "Alpen", "Cedar", "Oak",
    "Pine", "Maple", "Birch", "Granite", "Crystal", "Ember", "Frost", "Summit", "Harbor", "Falcon",
    "Eagle", "Fox", "Wolf", "Bear", "Lion", "Orca", "Atlas", "Apex", "Zenith", "Vertex",
    "Quantum", "Pixel", "Vector", "Helix", "Orbit", "Polar", "Coral", "Amber", "Indigo", "Scarlet",
)
NAME_ROOTS = (
    "wind", "stone", "peak", "field", "bridge", "gate", "line", "point", "wave", "works",
    "light", "path", "ridge", "forge", "port", "view", "crest", "brook", "vale", "haven",
    "mark", "core", "shore", "dale", "ford", "wood", "spring", "rock", "star", "bay",
)
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "software": ("Software", "Labs", "Systems", "Digital", "Apps"),
    "analytics": ("Analytics", "Insights", "Data", "Metrics"),
    "logistics": ("Logistics", "Freight", "Shipping", "Transport", "Cargo"),
    "manufacturing": ("Manufacturing", "Industries", "Engineering", "Machinery", "Fabrication"),
    "healthcare": ("Health", "Medical", "Care", "Clinics", "Diagnostics"),
    "finance": ("Capital", "Financial", "Partners", "Investments", "Bank"),
    "retail": ("Retail", "Stores", "Market", "Outfitters", "Goods"),
    "energy": ("Energy", "Power", "Solar", "Renewables", "Utilities"),
    "telecommunications": ("Telecom", "Networks", "Communications", "Connect"),
    "education": ("Learning", "Academy", "Education", "Institute"),
    "hospitality": ("Hotels", "Hospitality", "Resorts", "Travel"),
    "construction": ("Construction", "Builders", "Development", "Materials"),
}
# (region, weight, countries); each country is (ISO-2, top-level domain, dialling code).
REGIONS: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    ("NA", 40, (("US", "com", "+1"), ("US", "com", "+1"), ("US", "com", "+1"), ("CA", "ca", "+1"))),
    ("EMEA", 35, (
        ("GB", "co.uk", "+44"), ("DE", "de", "+49"), ("FR", "fr", "+33"), ("NL", "nl", "+31"),
        ("SE", "se", "+46"), ("ES", "es", "+34"), ("IT", "it", "+39"), ("CH", "ch", "+41"),
        ("AE", "ae", "+971"), ("ZA", "co.za", "+27"),
    )),
    ("APAC", 15, (
        ("JP", "jp", "+81"), ("AU", "com.au", "+61"), ("SG", "sg", "+65"), ("IN", "in", "+91"),
        ("KR", "kr", "+82"), ("NZ", "co.nz", "+64"),
    )),
    ("LATAM", 10, (
        ("BR", "com.br", "+55"), ("MX", "mx", "+52"), ("AR", "com.ar", "+54"), ("CL", "cl", "+56"),
        ("CO", "co", "+57"),
    )),
)
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "US": ("Inc.", "LLC", "Corp."), "CA": ("Inc.", "Ltd."), "GB": ("Ltd", "plc"),
    "DE": ("GmbH", "AG"), "FR": ("SA", "SAS"), "NL": ("B.V.",), "SE": ("AB",), "ES": ("S.L.", "S.A."),
    "IT": ("S.p.A.", "S.r.l."), "CH": ("AG", "SA"), "AE": ("LLC", "FZE"), "ZA": ("(Pty) Ltd",),
    "JP": ("K.K.",), "AU": ("Pty Ltd",), "SG": ("Pte. Ltd.",), "IN": ("Pvt. Ltd.",), "KR": ("Co., Ltd.",),
    "NZ": ("Ltd",), "BR": ("Ltda.", "S.A."), "MX": ("S.A. de C.V.",), "AR": ("S.A.",), "CL": ("SpA",),
    "CO": ("S.A.S.",),
}
# Kinds an organization has, with weights; a few get a second kind.
ORGANIZATION_KINDS = (("customer", 45), ("prospect", 35), ("partner", 8), ("competitor", 6), ("supplier", 6))
# Edges drawn between two organizations, with weights.
ORGANIZATION_EDGE_KINDS = (
    ("partner_of", 25), ("competitor_of", 20), ("subsidiary_of", 15), ("customer_of", 25), ("supplier_of", 15),
)
ORGANIZATION_TAGS = (
    "strategic", "enterprise", "smb", "mid-market", "reference", "at-risk", "expansion",
    "public-sector", "channel", "key-account", "renewal-q1", "renewal-q3",
)
LEAD_SOURCES = ("webinar", "referral", "trade_show", "website", "outbound", "partner", "paid_search", "content")
TIERS = ("bronze", "silver", "gold", "platinum")
COMPANY_SIZES = (5, 12, 25, 40, 80, 150, 300, 600, 1200, 2500, 5000, 12000, 40000)

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
    "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Sandra", "Paul", "Ashley", "Steven", "Emily",
    "Andrew", "Michelle", "Joshua", "Laura", "Kevin", "Rebecca", "Brian", "Amanda", "Olivia", "Noah",
    "Emma", "Liam", "Sophie", "Lukas", "Hannah", "Leon", "Chloe", "Hugo", "Camille", "Louis",
    "Sofia", "Mateo", "Valentina", "Diego", "Lucia", "Pablo", "Isabella", "Gabriel", "Ana", "Rafael",
    "Yuki", "Haruto", "Sakura", "Min-jun", "Ji-woo", "Priya", "Arjun", "Ananya", "Rohan", "Wei",
    "Mei", "Chen", "Aisha", "Omar", "Fatima", "Youssef", "Lars", "Ingrid", "Erik", "Astrid",
    "Sipho", "Thandi", "Kofi", "Amara", "Giulia", "Marco", "Elena", "Luca", "Freya", "Oscar",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Moreau", "Laurent", "Bernard", "Rossi",
    "Russo", "Ferrari", "Esposito", "Bianchi", "Silva", "Santos", "Oliveira", "Pereira", "Costa", "Fernández",
    "González", "Sánchez", "Ramírez", "Torres", "Tanaka", "Suzuki", "Sato", "Watanabe", "Kim", "Park",
    "Choi", "Patel", "Sharma", "Singh", "Gupta", "Wang", "Li", "Zhang", "Liu", "Chen",
    "Andersson", "Johansson", "Nilsson", "Jansen", "de Vries", "van Dijk", "Nkosi", "Dlamini", "Haddad", "Khan",
)
TITLES = (
    "Chief Executive Officer", "Chief Technology Officer", "Chief Financial Officer", "VP Sales",
    "VP Engineering", "VP Operations", "Head of Procurement", "Head of IT", "IT Director",
    "Operations Manager", "Procurement Manager", "Marketing Director", "Product Manager",
    "Engineering Manager", "Finance Manager", "Office Manager", "Account Manager", "Data Analyst",
    "Software Engineer", "Solutions Architect", "Customer Success Manager", "HR Director",
)
CONTACT_TAGS = (
    "decision-maker", "champion", "influencer", "technical", "economic-buyer", "newsletter", "event-attendee",
)
LANGUAGES = ("en", "de", "fr", "es", "ja")

OPPORTUNITY_PRODUCTS = (
    "Platform subscription", "Enterprise license", "Renewal", "Expansion seats", "Pilot project",
    "Implementation services", "Support upgrade", "Analytics add-on", "Integration package",
    "Training program", "Multi-year agreement", "Regional rollout", "Data migration",
)
LOST_REASONS = ("price", "competitor", "no_decision", "timing", "features", "budget_cut")
# (currency, weight) by region: mostly USD and EUR as a sales team in NA/EMEA would see.
CURRENCIES: dict[str, tuple[tuple[str, int], ...]] = {
    "NA": (("USD", 95), ("CAD", 5)),
    "EMEA": (("EUR", 70), ("GBP", 15), ("USD", 15)),
    "APAC": (("USD", 80), ("EUR", 20)),
    "LATAM": (("USD", 85), ("EUR", 15)),
}

# Interaction kinds with weights and the directions each may take.
INTERACTION_KINDS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("email", 35, ("outbound", "inbound")),
    ("call", 25, ("outbound", "inbound")),
    ("meeting", 15, ("outbound",)),
    ("note", 10, ("internal",)),
    ("chat", 7, ("inbound", "outbound")),
    ("visit", 5, ("outbound",)),
    ("social", 3, ("inbound", "outbound")),
)
# Minutes (low, high) for kinds that have a duration.
DURATIONS = {"call": (5, 45), "meeting": (30, 90), "visit": (60, 180)}
SUBJECTS = {
    "email": ("Follow-up on our conversation", "Proposal attached", "Pricing questions", "Contract draft",
              "Intro: {org}", "Next steps", "Renewal reminder", "Case study you asked for"),
    "call": ("Discovery call", "Check-in call", "Pricing discussion", "Technical Q&A", "Quarterly review call"),
    "meeting": ("Kick-off meeting", "Product demo", "Executive briefing", "Workshop with {org}", "QBR"),
    "note": ("Account notes", "Internal sync about {org}", "Risk assessment", "Competitive intel"),
    "chat": ("Website chat", "Quick question", "Support handoff"),
    "visit": ("On-site visit at {org}", "Plant tour", "Office visit"),
    "social": ("LinkedIn message", "Comment on announcement", "Event follow-up"),
}
BODY_SENTENCES = (
    "Discussed current priorities and the timeline for the next quarter.",
    "They are evaluating two other vendors; price is the main concern.",
    "Agreed to send a revised proposal by Friday.",
    "Technical team raised questions about SSO and data residency.",
    "Budget is approved; legal review is the remaining step.",
    "Champion is moving to a new role; need a new sponsor.",
    "Shared the case study and the ROI calculator.",
    "Requested references from customers in the same industry.",
    "Walked through the roadmap; strong interest in the analytics module.",
    "Follow up in two weeks after their internal planning meeting.",
    "Procurement wants a multi-year discount.",
    "Usage is up 30% since the last review.",
)
TASK_TITLES = {
    "organization": (
        "Quarterly review with {name}", "Update account plan for {name}", "Check renewal terms for {name}",
    ),
    "contact": ("Follow up with {name}", "Send case study to {name}", "Schedule call with {name}"),
    "opportunity": ("Send proposal for {name}", "Prepare demo for {name}", "Get legal sign-off for {name}"),
}
