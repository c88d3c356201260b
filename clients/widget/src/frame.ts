// The framed widget: waits for an embed token from the host page (postMessage, from
// the origin named in its URL only), shows the contact or organization it is opened
// on, lets the user log a note or call, and asks the host for a new token before the
// current one expires.
import { ApiError, BY_EMAIL, BY_ID, LOG, graphql, type Contact, type Interaction, type Organization } from "./api.js";
import { formatDate, formatMoney, locale, t } from "./i18n.js";
import { isHostMessage, THEME_VARIABLES, type FrameMessage, type Subject, type WidgetState } from "./protocol.js";

const hostOrigin = new URLSearchParams(window.location.search).get("origin") ?? "";
const root = document.getElementById("widget") as HTMLElement;
let token = "";
let subject: Subject = {};
let refreshTimer: number | undefined;
let loaded = false;
// Set when an expired token made us ask the host for another, cleared by the next
// success: a host that keeps sending expired tokens is asked once, not forever.
let askedAfterExpiry = false;

function post(message: FrameMessage): void {
  if (window.parent !== window && hostOrigin) window.parent.postMessage(message, hostOrigin);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function setState(state: WidgetState, message = ""): void {
  document.body.dataset.state = state;
  post({ type: "crm:state", state, message });
  if (state !== "ready" && state !== "loading") {
    root.replaceChildren(el("p", { className: `notice ${state}` }, message));
  }
}

/** The claims of an embed token, read without verifying (the server verifies). */
function claims(value: string): { exp?: number; iat?: number; org?: string; rec?: string | null } {
  try {
    const part = value.replace(/^embed_/, "").split(".")[1] ?? "";
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as ReturnType<typeof claims>;
  } catch {
    return {};
  }
}

/** Ask for the next token a little before this one expires (a minute, or a quarter of its life). */
function scheduleRefresh(exp: number, iat: number): void {
  window.clearTimeout(refreshTimer);
  const lifeMs = Math.max(0, (exp - iat) * 1000);
  const due = exp * 1000 - Math.min(60_000, lifeMs / 4) - Date.now();
  refreshTimer = window.setTimeout(() => post({ type: "crm:token-request" }), Math.max(0, due));
}

function applyTheme(variables: Record<string, string>): void {
  for (const name of THEME_VARIABLES) {
    const value = variables[name];
    if (typeof value === "string" && value.length < 200) document.documentElement.style.setProperty(`--crm-${name}`, value);
  }
}

function interactionItem(item: Interaction): HTMLLIElement {
  const when = formatDate(item.occurredAt);
  return el("li", { className: "interaction" }, el("span", { className: "kind" }, item.kind.toLowerCase()), " ",
    item.subject, " ", el("time", { dateTime: item.occurredAt }, when));
}

function organizationBlock(org: Organization): HTMLElement {
  const deals = org.opportunities.edges.map(({ node }) => el("li", { className: "opportunity" }, node.name,
    node.stage ? el("span", { className: "stage" }, ` · ${node.stage.name}`) : "",
    node.amount ? el("span", { className: "amount" }, ` · ${formatMoney(node.amount, node.currency)}`) : ""));
  return el("section", { className: "organization" },
    el("h2", {}, org.name),
    org.industry ? el("p", { className: "muted" }, org.industry) : "",
    el("h3", {}, t("openOpportunities", { count: org.opportunities.totalCount })),
    deals.length ? el("ul", {}, ...deals) : el("p", { className: "muted" }, t("noneOpen")));
}

function logForm(contactId: string | null, organizationId: string | null, list: HTMLUListElement): HTMLFormElement {
  const kind = el("select", { name: "kind", ariaLabel: t("kind") },
    el("option", { value: "NOTE" }, t("note")), el("option", { value: "CALL" }, t("call")));
  const text = el("input", { name: "subject", placeholder: t("placeholder"), ariaLabel: t("placeholder"),
    required: true, maxLength: 500 });
  const error = el("p", { className: "error", role: "alert" });
  const form = el("form", { className: "log" }, kind, text, el("button", { type: "submit" }, t("log")), error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    const input = { kind: kind.value, subject: text.value, contactIds: contactId ? [contactId] : [],
      ...(organizationId ? { organizationId } : {}) };
    void graphql<{ interactionLog: { interaction: Interaction | null; errors: Array<{ message: string }> } }>(
      token, LOG, { input }).then(({ interactionLog }) => {
      if (interactionLog.interaction) {
        list.prepend(interactionItem(interactionLog.interaction));
        text.value = "";
      } else {
        error.textContent = interactionLog.errors.map((e) => e.message).join(" ");
      }
    }, (failure: unknown) => handleFailure(failure));
  });
  return form;
}

function render(contact: Contact | null, organization: Organization | null, interactions: Interaction[]): void {
  const list = el("ul", { className: "interactions" }, ...interactions.map(interactionItem));
  const parts: Node[] = [];
  if (contact) {
    const name = `${contact.firstName} ${contact.lastName}`.trim();
    parts.push(el("section", { className: "contact" }, el("h1", {}, name),
      contact.title ? el("p", { className: "muted" }, contact.title) : "",
      ...(contact.emails ?? []).map((e) => el("p", { className: "email" }, e)),
      ...(contact.phones ?? []).map((p) => el("p", { className: "phone" }, p))));
  }
  if (organization) parts.push(organizationBlock(organization));
  parts.push(el("section", {}, el("h3", {}, t("recent")), list,
    logForm(contact?.id ?? null, organization?.id ?? null, list)));
  root.replaceChildren(...parts);
}

function handleFailure(failure: unknown): void {
  if (failure instanceof ApiError && failure.status === 401) {
    const expired = /expired/i.test(failure.message);
    setState(expired ? "expired" : "refused", failure.message);
    if (expired && !askedAfterExpiry) post({ type: "crm:token-request" });
    askedAfterExpiry ||= expired;
    loaded = false;
    return;
  }
  setState("error", failure instanceof Error ? failure.message : String(failure));
}

async function load(): Promise<void> {
  setState("loading");
  try {
    if (subject.record) {
      const { node } = await graphql<{ node: (Contact & { __typename: "Contact" }) | (Organization & { __typename: "Organization" }) | null }>(
        token, BY_ID, { id: subject.record });
      if (!node) return setState("not-found", t("notFoundRecord"));
      if (node.__typename === "Contact") render(node, node.organization, node.interactions.edges.map((e) => e.node));
      else render(null, node, (node.interactions?.edges ?? []).map((e) => e.node));
    } else if (subject.email) {
      const { contacts } = await graphql<{ contacts: { edges: Array<{ node: Contact }> } }>(token, BY_EMAIL, { email: subject.email });
      const contact = contacts.edges[0]?.node;
      if (!contact) return setState("not-found", t("notFoundEmail", { email: subject.email }));
      render(contact, contact.organization, contact.interactions.edges.map((e) => e.node));
    } else {
      return setState("not-found", t("noSubject"));
    }
    loaded = true;
    askedAfterExpiry = false;
    setState("ready");
  } catch (failure) {
    handleFailure(failure);
  }
}

window.addEventListener("message", (event: MessageEvent) => {
  // Only the window that framed us, on the origin it said it is (and CSP
  // frame-ancestors let frame us), may hand us tokens.
  if (event.source !== window.parent || event.origin !== hostOrigin) return;
  const message: unknown = event.data;
  if (!isHostMessage(message)) return;
  if (message.type === "crm:theme") return applyTheme(message.variables);
  const said = claims(message.token);
  if (said.org !== hostOrigin || typeof said.exp !== "number") {
    return setState("refused", t("wrongPage"));
  }
  token = message.token;
  // A token bound to a record opens that record, whatever the page asks for.
  subject = said.rec ? { record: said.rec } : message.subject;
  // An expired token is still sent: the server says so, and the host is asked once for another.
  if (said.exp * 1000 > Date.now()) scheduleRefresh(said.exp, said.iat ?? said.exp - 60);
  if (!loaded) void load();
});

new ResizeObserver(() => post({ type: "crm:resize", height: document.documentElement.scrollHeight }))
  .observe(document.body);

document.documentElement.lang = locale;
if (!hostOrigin || window.parent === window) {
  setState("refused", t("embedOnly"));
} else {
  document.body.dataset.state = "waiting";
  post({ type: "crm:ready" });
}
