// The relationship graph's frame times in Chromium (bench/graph_bench.py runs this).
//
//   node bench/graph_frames.mjs '{"url": ..., "token": ..., "focus": ..., "depth": 3, "seconds": 6}'
//
// Opens /app/graph on a large neighbourhood, waits until every page of it is drawn, then
// pans and zooms with the mouse for `seconds` while a requestAnimationFrame loop records
// the time between frames, in four phases:
//   layout     ForceAtlas2 running in its worker (the first seconds after drawing)
//   settled    the same gestures once the layout has stopped
// (settled is the baseline: sigma drawing the same graph with the layout off; the app
// around it does nothing while one pans, so a bare sigma page would measure the same.)
//   idle       no gestures, layout stopped: what the page costs when nothing happens
//   empty      the same gestures on the graph screen with nothing drawn: what the machine
//              (its load, the software WebGL of a headless Chromium) costs by itself
// Prints one JSON object. Playwright comes from clients/web's node_modules.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(resolve(import.meta.dirname, '../clients/web/package.json'));
const { chromium } = require('@playwright/test');

const args = JSON.parse(process.argv[2]);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--enable-unsafe-swiftshader'];

/** Starts recording frame deltas and long tasks in the page. */
async function startRecording(page) {
  await page.evaluate(() => {
    const w = window;
    w.__frames = [];
    w.__longTasks = [];
    w.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      if (!w.__recording) return;
      w.__frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
    w.__observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    });
    w.__observer.observe({ type: 'longtask', buffered: false });
  });
}

async function stopRecording(page) {
  return page.evaluate(() => {
    const w = window;
    w.__recording = false;
    w.__observer.disconnect();
    return { frames: w.__frames, longTasks: w.__longTasks };
  });
}

/** Drags across the canvas and wheels in and out, for `ms` (or until `until()` says so). */
async function gestures(page, box, ms, until = async () => false) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const end = Date.now() + ms;
  let step = 0;
  while (Date.now() < end && !(await until())) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      const a = ((step * 20 + i) / 40) * Math.PI;
      await page.mouse.move(cx + Math.cos(a) * box.width * 0.25, cy + Math.sin(a) * box.height * 0.25);
    }
    await page.mouse.up();
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, step % 2 ? 120 : -120);
    step++;
  }
}

function summary({ frames, longTasks }, ms) {
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
  const round = (x) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    frames: frames.length,
    fps: round(frames.length / (ms / 1000)),
    p50_ms: round(pct(50)),
    p95_ms: round(pct(95)),
    p99_ms: round(pct(99)),
    max_ms: round(sorted.at(-1) ?? null),
    over_33ms: frames.filter((f) => f > 33.4).length,
    long_tasks: longTasks.length,
    long_task_ms: round(longTasks.reduce((a, b) => a + b, 0)),
  };
}

/** Main-thread time (Chromium's TaskDuration, ScriptDuration) spent during the phase. */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function measure(page, cdp, box, ms, move = true, until = undefined) {
  const before = await metrics(cdp);
  const t0 = Date.now();
  await startRecording(page);
  if (move) await gestures(page, box, ms, until);
  else await page.waitForTimeout(ms);
  const recorded = await stopRecording(page);
  const after = await metrics(cdp);
  const wall = Date.now() - t0;
  const share = (name) => Math.round(((after[name] - before[name]) * 1000 / wall) * 1000) / 1000;
  return {
    ...summary(recorded, wall),
    main_thread_busy: share('TaskDuration'),
    main_thread_script: share('ScriptDuration'),
    main_thread_layout: share('LayoutDuration'),
    main_thread_style: share('RecalcStyleDuration'),
    measured_ms: wall,
  };
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((session) => {
    localStorage.setItem('crm.session', session);
    localStorage.setItem('crm.language', 'en');
  }, JSON.stringify({ token: args.token, tenant: 'demo', email: args.email, expiresAt: Date.now() + 3600_000 }));
  const page = await context.newPage();
  const ms = args.seconds * 1000;

  // Drawing: from navigation until every page of the neighbourhood is in the graph.
  const started = Date.now();
  await page.goto(`${args.url}/app/graph?focus=${encodeURIComponent(args.focus)}`);
  const canvas = page.getByTestId('graph-canvas');
  await canvas.waitFor();
  await page.getByLabel('Depth').selectOption(String(args.depth));
  const counts = page.getByTestId('graph-counts');
  let nodes = 0;
  for (let stable = 0; stable < 4;) {
    await page.waitForTimeout(500);
    const now = Number(await counts.getAttribute('data-nodes'));
    stable = now === nodes && now > 1 ? stable + 1 : 0;
    nodes = now;
    if (Date.now() - started > 300_000) throw new Error(`the graph did not finish drawing (${nodes} nodes)`);
  }
  const drawnMs = Date.now() - started - 2000;
  const edges = Number(await counts.getAttribute('data-edges'));
  const box = await canvas.boundingBox();
  const webgl = await canvas.getAttribute('data-webgl');

  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  // The layout that ran while the pages arrived has stopped (builds that say so: data-layout).
  const layoutState = () => canvas.getAttribute('data-layout');
  for (let i = 0; i < 40 && (await layoutState()) === 'running'; i++) await page.waitForTimeout(250);
  // "Lay out again" runs ForceAtlas2 in its worker until the drawing settles (at most a few
  // seconds): measure meanwhile, up to 2.3 s, and only while it runs.
  await page.getByTestId('graph-relayout').click();
  const stopped = async () => (await layoutState()) === 'stopped';
  const layout = await measure(page, cdp, box, 2300, true, stopped);
  for (let i = 0; i < 40 && (await layoutState()) === 'running'; i++) await page.waitForTimeout(250);
  await page.waitForTimeout(1500); // (older builds: their layout stops after a fixed 2.5 s)
  const dataset = await canvas.evaluate((el) => ({ ...el.dataset }));
  layout.ran_ms = dataset.layoutMs ? Number(dataset.layoutMs) : null;
  layout.iterations = dataset.layoutIterations ? Number(dataset.layoutIterations) : null;
  layout.positions_applied = dataset.layoutFrames ? Number(dataset.layoutFrames) : null;
  layout.settled = dataset.layoutSettled ? dataset.layoutSettled === 'true' : null;
  const settled = await measure(page, cdp, box, ms);
  const idle = await measure(page, cdp, box, 2000, false);
  await page.goto(`${args.url}/app/graph`);
  await canvas.waitFor();
  await page.waitForTimeout(1000);
  const empty = await measure(page, cdp, box, ms);
  const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  const layout_vs_settled = { p50: ratio(layout.p50_ms, settled.p50_ms), p95: ratio(layout.p95_ms, settled.p95_ms) };
  console.log(JSON.stringify({ nodes, edges, webgl, drawn_ms: drawnMs, layout, settled, idle, empty, layout_vs_settled }));
} finally {
  await browser.close();
}
