// <crm-widget>: what a portal puts in its page.
//
//   <script src="https://crm.example.com/widget/crm-widget.js"></script>
//   <crm-widget server="https://crm.example.com" tenant="acme" email="ada@example.com"></crm-widget>
//   <script>
//     document.querySelector("crm-widget").getToken = async () =>
//       (await fetch("/my-backend/crm-embed-token")).text();   // your backend calls embedTokenCreate
//   </script>
//
// It frames /widget/frame (sandboxed), hands it tokens by postMessage to the server's
// exact origin whenever the frame asks (at start and before each token expires),
// passes on the --crm-* CSS custom properties set on the element, and sizes the frame
// to its content. Attribute `data-state` mirrors the frame's state.
import { THEME_VARIABLES, isFrameMessage, type Subject } from "./protocol.js";

class CrmWidget extends HTMLElement {
  /** Set by the host page: resolves to a fresh embed token from its backend. */
  getToken: (() => Promise<string>) | undefined;
  private frame: HTMLIFrameElement | undefined;
  private serverOrigin = "";
  private readonly onMessage = (event: MessageEvent): void => this.receive(event);

  connectedCallback(): void {
    const server = new URL(this.getAttribute("server") ?? "", document.baseURI);
    this.serverOrigin = server.origin;
    const src = new URL("widget/frame", server.href.endsWith("/") ? server.href : `${server.href}/`);
    src.searchParams.set("tenant", this.getAttribute("tenant") ?? "");
    src.searchParams.set("origin", window.location.origin);
    // English or Simplified Chinese: the element's lang, else the page's, else the browser's.
    src.searchParams.set("lang", this.getAttribute("lang") || document.documentElement.lang || navigator.language);
    const frame = document.createElement("iframe");
    // Scripts and forms in the frame, on its own origin (so it can call the API);
    // no popups, no top navigation, no access to this page.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms");
    frame.title = this.getAttribute("label") ?? "CRM";
    frame.style.cssText = "border:0;width:100%;height:120px;display:block;color-scheme:normal";
    frame.src = src.href;
    this.frame = frame;
    window.addEventListener("message", this.onMessage);
    this.replaceChildren(frame);
  }

  disconnectedCallback(): void {
    window.removeEventListener("message", this.onMessage);
  }

  private post(message: unknown): void {
    this.frame?.contentWindow?.postMessage(message, this.serverOrigin);
  }

  private subject(): Subject {
    const record = this.getAttribute("record");
    const email = this.getAttribute("email");
    return record ? { record } : email ? { email } : {};
  }

  private theme(): Record<string, string> {
    const style = getComputedStyle(this);
    const variables: Record<string, string> = {};
    for (const name of THEME_VARIABLES) {
      const value = style.getPropertyValue(`--crm-${name}`).trim();
      if (value) variables[name] = value;
    }
    return variables;
  }

  private async sendToken(): Promise<void> {
    if (!this.getToken) {
      this.setAttribute("data-state", "error");
      return;
    }
    const token = await this.getToken();
    this.post({ type: "crm:token", token, subject: this.subject() });
  }

  private receive(event: MessageEvent): void {
    // Only our frame, served from the server's origin, may talk to us.
    if (!this.frame || event.source !== this.frame.contentWindow || event.origin !== this.serverOrigin) return;
    const message: unknown = event.data;
    if (!isFrameMessage(message)) return;
    switch (message.type) {
      case "crm:ready":
        this.post({ type: "crm:theme", variables: this.theme() });
        void this.sendToken();
        break;
      case "crm:token-request":
        this.dispatchEvent(new CustomEvent("crm-widget-token-request"));
        void this.sendToken();
        break;
      case "crm:resize":
        this.frame.style.height = `${Math.max(40, Math.min(4000, Math.ceil(message.height)))}px`;
        break;
      case "crm:state":
        this.setAttribute("data-state", message.state);
        this.dispatchEvent(new CustomEvent("crm-widget-state", { detail: { state: message.state, message: message.message } }));
        break;
    }
  }
}

if (!customElements.get("crm-widget")) customElements.define("crm-widget", CrmWidget);
