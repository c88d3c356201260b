// Builds the widget into the Python package (src/crm_graph/static/widget/), which
// crm-graph serves at /widget: crm-widget.js (the loader, one classic script, so
// host pages need no CORS to load it) and the frame's page, script and styles.
// The output is committed; `make widget-check` rebuilds and diffs it.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../../src/crm_graph/static/widget");
await mkdir(out, { recursive: true });
const common = { bundle: true, minify: true, format: "iife", target: "es2020", legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: [resolve(here, "src/loader.ts")], outfile: resolve(out, "crm-widget.js") });
await build({ ...common, entryPoints: [resolve(here, "src/frame.ts")], outfile: resolve(out, "frame.js") });
await copyFile(resolve(here, "src/frame.html"), resolve(out, "frame.html"));
// The frame's documents, for crm-graph to allow nothing else to a record-bound token.
const documents = await build({ entryPoints: [resolve(here, "src/documents.ts")], bundle: true, format: "esm", write: false });
const { BY_EMAIL, BY_ID, LOG } = await import(`data:text/javascript,${encodeURIComponent(documents.outputFiles[0].text)}`);
await writeFile(resolve(out, "documents.json"), `${JSON.stringify({ byEmail: BY_EMAIL, byId: BY_ID, log: LOG }, null, 2)}\n`);
await copyFile(resolve(here, "src/frame.css"), resolve(out, "frame.css"));
