"""The demo seed gives leads something to show: rules, a form, and leads in every
status, scored by the rules, seen through the demo roles' scopes."""

from __future__ import annotations

LEADS = """{ leads(first: 100, orderBy: {field: SCORE, direction: DESC}) {
  totalCount edges { node { score status source owner { email } } } } }"""
SETUP = "{ leadAssignmentRules(first: 10) { totalCount } leadScoringRules(first: 20) { totalCount } leadForms(first: 5) { totalCount } }"


async def test_demo_leads_follow_the_roles(demo):
    admin = await demo.client("admin@demo.example")(LEADS)
    total = admin["leads"]["totalCount"]
    assert total >= 20
    nodes = [e["node"] for e in admin["leads"]["edges"]]
    assert {n["status"] for n in nodes} >= {"NEW", "WORKING", "QUALIFIED", "DISQUALIFIED"}
    assert nodes[0]["score"] > 0 and nodes[0]["score"] >= nodes[-1]["score"]
    rep = await demo.client("rep1@demo.example")(LEADS)
    assert 0 < rep["leads"]["totalCount"] < total
    assert {e["node"]["owner"]["email"] for e in rep["leads"]["edges"]} == {"rep1@demo.example"}
    manager = await demo.client("manager@demo.example")(LEADS)
    assert rep["leads"]["totalCount"] < manager["leads"]["totalCount"] <= total  # the Sales tree owns them
    setup = await demo.client("manager@demo.example")(SETUP)
    assert (setup["leadAssignmentRules"]["totalCount"], setup["leadForms"]["totalCount"]) == (3, 1)
    assert setup["leadScoringRules"]["totalCount"] == 7
