// PostGraphile 5 (Amber preset) over the pgl view layer (views.sql), for bench/http_bench.py.
//
// Every request must carry the same HS256 bearer token crm-graph accepts (CRM_JWT_SECRET);
// its `tid` claim becomes app.tenant_id and the transaction runs as crm_app, so the
// base tables' row-level security filters by tenant exactly as for crm-graph.
import pg from "pg";
import jwt from "jsonwebtoken";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const secret = process.env.PGL_JWT_SECRET;
const tenantClaim = process.env.PGL_TENANT_CLAIM || "tid";

export const pool = new pg.Pool({
  connectionString: process.env.PGL_DATABASE_URL,
  max: Number(process.env.PGL_POOL_SIZE || 8),
});

function unauthorized(message) {
  return Object.assign(new Error(message), { statusCode: 401 });
}

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  // Views have no indexes; without this, their columns could not be ordered by and
  // their foreign keys (smart tags) would give no backward relations.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [makePgService({ pool, schemas: ["pgl"] })],
  grafserv: { graphiql: false, watch: false },
  grafast: {
    explain: false,
    context(requestContext) {
      const header = requestContext?.node?.req?.headers?.authorization;
      const [scheme, token] = typeof header === "string" ? header.split(" ") : [];
      if (!token || scheme.toLowerCase() !== "bearer") throw unauthorized("missing bearer token");
      let claims;
      try {
        claims = jwt.verify(token, secret, { algorithms: ["HS256"] });
      } catch (e) {
        throw unauthorized(`invalid token: ${e.message}`);
      }
      return { pgSettings: { role: "crm_app", "app.tenant_id": String(claims[tenantClaim]) } };
    },
  },
};
