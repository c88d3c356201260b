-- A thin view layer for PostGraphile over crm-graph's tables (bench/http_bench.py).
--
-- Views are security_invoker, and functions are plain SQL run by the caller, so the
-- row-level security of the base tables applies: PostGraphile runs every request as
-- crm_app with app.tenant_id set, and sees one tenant, as crm-graph does.
-- Each view drops archived rows (crm-graph lists hide them by default) and carries
-- the sort keys crm-graph orders by (lower(name), ...) as columns, so the same
-- indexes serve both servers.

DROP SCHEMA IF EXISTS pgl CASCADE;
CREATE SCHEMA pgl;

CREATE VIEW pgl.organizations WITH (security_invoker = true) AS
  SELECT id, tenant_id, name, lower(name) AS sort_name, kinds, industry, region, country, website, size,
         lifecycle_stage, owner_id, created_at, updated_at, version
  FROM public.organizations WHERE archived_at IS NULL;
COMMENT ON VIEW pgl.organizations IS E'@primaryKey id';

CREATE VIEW pgl.contacts WITH (security_invoker = true) AS
  SELECT id, tenant_id, first_name, last_name, lower(last_name) AS sort_last, lower(first_name) AS sort_first,
         title, organization_id, lifecycle_stage, owner_id, created_at, updated_at, version
  FROM public.contacts WHERE archived_at IS NULL;
COMMENT ON VIEW pgl.contacts IS E'@primaryKey id\n@foreignKey (organization_id) references pgl.organizations (id)';

CREATE VIEW pgl.interactions WITH (security_invoker = true) AS
  SELECT id, tenant_id, kind, direction, occurred_at, subject, duration_minutes, organization_id, opportunity_id,
         owner_id, created_at, updated_at, version
  FROM public.interactions WHERE archived_at IS NULL;
COMMENT ON VIEW pgl.interactions IS E'@primaryKey id';

CREATE VIEW pgl.opportunities WITH (security_invoker = true) AS
  SELECT id, tenant_id, name, organization_id, owner_id, amount, currency, probability, expected_close_date,
         status, created_at, updated_at, version
  FROM public.opportunities WHERE archived_at IS NULL;
COMMENT ON VIEW pgl.opportunities IS E'@primaryKey id\n@foreignKey (organization_id) references pgl.organizations (id)';

CREATE VIEW pgl.relationships WITH (security_invoker = true) AS
  SELECT id, tenant_id, kind, source_type, source_id, target_type, target_id, strength, since, until, note,
         created_at, updated_at, version
  FROM public.relationships;
COMMENT ON VIEW pgl.relationships IS E'@primaryKey id';

-- Contact.latestInteractions: through interaction_participants, newest first
-- (crm-graph's Contact.interactions default order).
CREATE FUNCTION pgl.contacts_latest_interactions(c pgl.contacts) RETURNS SETOF pgl.interactions
LANGUAGE sql STABLE AS $$
  SELECT i.* FROM pgl.interactions i
  JOIN public.interaction_participants p ON p.interaction_id = i.id
  WHERE p.contact_id = c.id
  ORDER BY i.occurred_at DESC, i.id DESC
$$;

-- Organization.relationships: edges both ways, oldest first, and (as crm-graph) only
-- those whose two ends exist and are not archived.
CREATE FUNCTION pgl.visible_record(record_type text, record_id uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE record_type
    WHEN 'organization' THEN EXISTS (SELECT 1 FROM pgl.organizations x WHERE x.id = record_id)
    WHEN 'contact' THEN EXISTS (SELECT 1 FROM pgl.contacts x WHERE x.id = record_id)
    WHEN 'opportunity' THEN EXISTS (SELECT 1 FROM pgl.opportunities x WHERE x.id = record_id)
    ELSE false END
$$;
COMMENT ON FUNCTION pgl.visible_record(text, uuid) IS E'@behavior -queryField -mutationField';

CREATE FUNCTION pgl.organizations_relationships(o pgl.organizations) RETURNS SETOF pgl.relationships
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM pgl.relationships r
  WHERE (r.source_id = o.id OR r.target_id = o.id)
    AND pgl.visible_record(r.source_type, r.source_id) AND pgl.visible_record(r.target_type, r.target_id)
  ORDER BY r.created_at, r.id
$$;

GRANT USAGE ON SCHEMA pgl TO crm_app;
GRANT SELECT ON ALL TABLES IN SCHEMA pgl TO crm_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgl TO crm_app;
