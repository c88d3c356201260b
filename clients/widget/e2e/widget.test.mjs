// The widget in Chromium, on a portal page of a second origin, against a real crm-graph.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { devToken, gql, launchChromium, startCrm, startPortal } from "./harness.mjs";

let crm;
let portal;
let browser;
let admin;
let contact; // a seeded contact: { id, firstName, lastName, email }

before(async () => {
  crm = await startCrm();
  admin = await devToken(crm.url, "admin@demo.example");
  const key = await gql(crm.graphql, admin, `mutation { apiKeyCreate(input: {name: "Portal", role: "admin"}) {
    secret errors { message } } }`);
  assert.deepEqual(key.apiKeyCreate.errors, []);
  portal = await startPortal(crm, key.apiKeyCreate.secret);
  const settings = await gql(crm.graphql, admin, `mutation($o: [String!]) {
    tenantSettingsUpdate(input: {corsOrigins: $o}) { errors { message } } }`, { o: [portal.origin] });
  assert.deepEqual(settings.tenantSettingsUpdate.errors, []);
  const found = await gql(crm.graphql, key.apiKeyCreate.secret,
    "{ contacts(first: 20) { edges { node { id firstName lastName emails } } } }");
  const node = found.contacts.edges.map((e) => e.node).find((n) => n.emails?.length);
  contact = { ...node, email: node.emails[0] };
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await crm?.stop();
});

async function open(origin, mode = "valid", lang = "en") {
  const page = await browser.newPage();
  await page.goto(`${origin}/page?email=${encodeURIComponent(contact.email)}&mode=${mode}&lang=${lang}`);
  return page;
}

describe("the widget", () => {
  it("on an allowed origin with a real embed token: shows the contact, logs a note, themed and sized", async () => {
    const page = await open(portal.origin);
    await page.waitForSelector("crm-widget[data-state=ready]", { timeout: 20_000 });
    const frame = page.frameLocator("crm-widget iframe");
    assert.equal((await frame.locator("h1").textContent()).trim(), `${contact.firstName} ${contact.lastName}`.trim());
    // The token reached the frame by postMessage, never in its URL.
    const src = await page.locator("crm-widget iframe").getAttribute("src");
    assert.ok(!src.includes("embed_"), src);
    // Themed by the host's --crm-accent, and the iframe grew to its content.
    assert.equal(await frame.locator("form.log button").evaluate((b) => getComputedStyle(b).backgroundColor),
      "rgb(200, 0, 100)");
    const [frameHeight, contentHeight] = await Promise.all([
      page.locator("crm-widget iframe").evaluate((f) => f.getBoundingClientRect().height),
      frame.locator("html").evaluate((h) => h.scrollHeight),
    ]);
    assert.ok(frameHeight > 120 && Math.abs(frameHeight - contentHeight) <= 2, `${frameHeight} vs ${contentHeight}`);

    const subject = `Widget note ${Date.now()}`;
    await frame.locator("form.log input[name=subject]").fill(subject);
    await frame.locator("form.log button").click();
    await frame.locator("li.interaction", { hasText: subject }).waitFor({ timeout: 10_000 });
    const logged = await gql(crm.graphql, admin, `query($s: String) { interactions(first: 5, filter: {search: $s}) {
      edges { node { subject kind contacts(first: 1) { edges { node { id } } } } } } }`, { s: subject });
    const node = logged.interactions.edges[0]?.node;
    assert.equal(node?.subject, subject);
    assert.equal(node?.kind, "NOTE");
    assert.equal(node?.contacts.edges[0]?.node.id, contact.id);
    await page.close();
  });

  it("is refused on an origin the tenant does not allow: the frame is not framed, no token is made", async () => {
    const page = await open(portal.otherOrigin);
    const frameResponse = await fetch(`${crm.url}/widget/frame?tenant=demo`);
    const policy = frameResponse.headers.get("content-security-policy");
    const ancestors = policy.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === "frame-ancestors");
    // The portal, and crm-graph itself ('self': the dev-login demo page, as live_server.py runs it).
    assert.deepEqual(ancestors.slice(1).filter((a) => a !== "'self'"), [portal.origin]);
    await page.waitForTimeout(3000);
    // CSP frame-ancestors stopped the frame: it never said it was ready, so no token was asked for.
    assert.equal(await page.evaluate(() => window.tokenRequests), 0);
    assert.equal(await page.locator("crm-widget").getAttribute("data-state"), null);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(!framed || !(await framed.evaluate(() => document.body?.dataset.state ?? null).catch(() => null)));
    // And crm-graph makes no token for that origin.
    const refused = await page.evaluate(async () => {
      const response = await fetch("/token");
      return { status: response.status, body: await response.json() };
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body[0].code, "ORIGIN_NOT_ALLOWED");
    await page.close();
  });

  it("is refused with an expired token: nothing shown, a new token asked for once", async () => {
    const page = await open(portal.origin, "expired");
    await page.waitForSelector("crm-widget[data-state=expired]", { timeout: 20_000 });
    const frame = page.frameLocator("crm-widget iframe");
    assert.equal(await frame.locator("h1").count(), 0);
    assert.match(await frame.locator(".notice").textContent(), /expired/);
    await page.waitForTimeout(1000);
    // The first token, then one request for a fresh one (which was expired again): no loop.
    assert.equal(await page.evaluate(() => window.tokenRequests), 2);
    await page.close();
  });

  it("with a token bound to a record, opens that record whatever the page asks for", async () => {
    const page = await browser.newPage();
    await page.goto(`${portal.origin}/page?email=nobody%40example.com&record=${encodeURIComponent(contact.id)}`);
    await page.waitForSelector("crm-widget[data-state=ready]", { timeout: 20_000 });
    const frame = page.frameLocator("crm-widget iframe");
    assert.equal((await frame.locator("h1").textContent()).trim(), `${contact.firstName} ${contact.lastName}`.trim());
    const subject = `Bound note ${Date.now()}`;
    await frame.locator("form.log input[name=subject]").fill(subject);
    await frame.locator("form.log button").click();
    await frame.locator("li.interaction", { hasText: subject }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it("speaks Simplified Chinese on a zh-CN page, drawn with the bundled CJK font", async () => {
    const page = await browser.newPage();
    const fonts = [];
    page.on("response", (response) => {
      if (/\.woff2$/.test(response.url()) && response.ok()) fonts.push(response.url());
    });
    await page.goto(`${portal.origin}/page?email=${encodeURIComponent(contact.email)}&mode=valid&lang=zh-CN`);
    await page.waitForSelector("crm-widget[data-state=ready]", { timeout: 20_000 });
    const frame = page.frameLocator("crm-widget iframe");
    assert.ok(await frame.locator("h3", { hasText: "最近互动" }).count());
    assert.equal((await frame.locator("form.log button").textContent()).trim(), "记录");
    assert.equal(await frame.locator("html").getAttribute("lang"), "zh-CN");
    // The frame loaded Noto Sans SC from crm-graph (the web app's slices, allowed by its CSP)...
    const framed = page.frames().find((f) => f.url().startsWith(`${crm.url}/widget/frame`));
    assert.ok(framed, page.frames().map((f) => f.url()).join(" "));
    await framed.waitForFunction(async () => {
      await document.fonts.ready;
      const loaded = [...document.fonts].filter((f) => f.family.replace(/["']/g, "") === "Noto Sans SC" && f.status === "loaded");
      return loaded.length > 0 && document.fonts.check('14px "Noto Sans SC"', "最近互动");
    }, null, { timeout: 10_000 });
    // ...and Chromium drew the Chinese heading with it, not with a system font (the machine has none).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const findHeading = (node) => {
      if (node.nodeName === "H3" && node.children?.some((c) => c.nodeValue?.includes("最近互动"))) return node;
      for (const child of [...(node.children ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) {
        const found = findHeading(child);
        if (found) return found;
      }
      return null;
    };
    const heading = findHeading(root);
    assert.ok(heading, "the frame's heading is in the page's DOM tree");
    let drawn = [];
    for (let i = 0; i < 50; i++) {
      drawn = (await cdp.send("CSS.getPlatformFontsForNode", { nodeId: heading.nodeId })).fonts;
      if (drawn.some((f) => f.isCustomFont && f.familyName.startsWith("Noto Sans SC") && f.glyphCount >= 4)) break;
      await page.waitForTimeout(200);
    }
    assert.ok(drawn.some((f) => f.isCustomFont && f.familyName.startsWith("Noto Sans SC") && f.glyphCount >= 4),
      JSON.stringify(drawn));
    const slices = fonts.filter((url) => url.includes("noto-sans-sc"));
    assert.ok(slices.length > 0 && slices.length < 40, slices.join(" "));
    assert.ok(slices.every((url) => url.startsWith(`${crm.url}/app/assets/`)), slices.join(" "));
    await page.close();
  });

  it("runs on the development demo page (/widget/demo, dev login) of crm-graph's own origin", async () => {
    const page = await browser.newPage();
    await page.goto(`${crm.url}/widget/demo`);
    await page.waitForSelector("crm-widget[data-state=ready]", { timeout: 20_000 });
    assert.ok((await page.frameLocator("crm-widget iframe").locator("h1").textContent()).trim().length > 0);
    await page.close();
  });

  it("asks the host for a new token before the current one expires, and keeps working", async () => {
    const page = await open(portal.origin, "short");
    await page.waitForSelector("crm-widget[data-state=ready]", { timeout: 20_000 });
    await page.waitForFunction(() => window.tokenRequests >= 2, null, { timeout: 10_000 });
    await page.waitForTimeout(6000); // the first token has expired by now
    const frame = page.frameLocator("crm-widget iframe");
    const subject = `After refresh ${Date.now()}`;
    await frame.locator("form.log input[name=subject]").fill(subject);
    await frame.locator("form.log button").click();
    await frame.locator("li.interaction", { hasText: subject }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator("crm-widget").getAttribute("data-state"), "ready");
    await page.close();
  });
});
