async def test_demo_admin_lists_organizations(demo):
    data = await demo.client("admin@demo.example")(
        "{ viewer { email } organizations(first: 5) { totalCount edges { node { name } } } }"
    )
    assert data["viewer"]["email"] == "admin@demo.example"
    assert data["organizations"]["totalCount"] == 40
    assert len(data["organizations"]["edges"]) == 5


async def test_fresh_tenant_creates_organization(gql):
    data = await gql(
        'mutation { organizationCreate(input: {name: "Acme", kinds: [CUSTOMER]}) { organization { name kinds version } errors { message path } } }'
    )
    assert data["organizationCreate"] == {
        "organization": {"name": "Acme", "kinds": ["CUSTOMER"], "version": 1},
        "errors": [],
    }
