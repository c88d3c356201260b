// Builds the widget into the Python package (src/crm_graph/static/widget/), which
// crm-graph serves at /widget: crm-widget.js (the loader, one classic script, so
// host pages need no CORS to load it) and the frame's page, script and styles.
// The output is committed; `make widget-check` rebuilds and diffs it.
import { copyFile, mkdir } from "node:fs/promises";
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
await copyFile(resolve(here, "src/frame.css"), resolve(out, "frame.css"));
