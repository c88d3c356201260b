// Serves PostGraphile at http://127.0.0.1:$PGL_PORT/graphql (bench/http_bench.py starts it).
//
// GET /__bench/statements answers how many SQL statements the pool's clients have sent
// (all, and without BEGIN/COMMIT/ROLLBACK), for the statements-per-request figure.
// PGL_LOG_SQL=1 prints every statement with its values to stderr (for EXPLAINing them).
import "./node20.mjs";
import { createServer } from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const counts = { all: 0, transaction_control: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === "string" ? config : config?.text;
  counts.all += 1;
  if (process.env.PGL_LOG_SQL && typeof text === "string") console.error(`SQL: ${text}\n${JSON.stringify(config?.values ?? rest[0] ?? [])}`);
  if (typeof text === "string" && /^\s*(begin|commit|rollback)\b/i.test(text)) counts.transaction_control += 1;
  return query.call(this, config, ...rest);
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const handler = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === "/__bench/statements") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(counts));
    return;
  }
  handler(req, res, () => {
    res.writeHead(404);
    res.end();
  });
});
server.keepAliveTimeout = 120_000;
// Build the schema before announcing readiness, so the first timed request doesn't.
pgl.getSchemaResult().then(() => {
  server.listen(Number(process.env.PGL_PORT), "127.0.0.1", () => {
    console.log(`postgraphile ready on ${server.address().port}`);
  });
});

const stop = () => { server.close(); pgl.release().finally(() => process.exit(0)); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
