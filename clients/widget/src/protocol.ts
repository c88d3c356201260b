// The messages between the host page's <crm-widget> and the framed widget. Each side
// posts only to the other's exact origin and drops messages from any other window or
// origin; the token travels only here, never in a URL.

/** CSS custom properties the host may set on <crm-widget> (e.g. --crm-accent). */
export const THEME_VARIABLES = ["accent", "background", "surface", "text", "muted", "border", "radius", "font"] as const;

/** What the widget is opened on: a contact by email, or a Contact / Organization by ID. */
export interface Subject {
  email?: string;
  record?: string;
}

export type HostMessage =
  | { type: "crm:token"; token: string; subject: Subject }
  | { type: "crm:theme"; variables: Record<string, string> };

export type WidgetState = "waiting" | "loading" | "ready" | "not-found" | "expired" | "refused" | "error";

export type FrameMessage =
  | { type: "crm:ready" }
  | { type: "crm:token-request" }
  | { type: "crm:resize"; height: number }
  | { type: "crm:state"; state: WidgetState; message: string };

export function isFrameMessage(data: unknown): data is FrameMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === "string" && ["crm:ready", "crm:token-request", "crm:resize", "crm:state"].includes(type);
}

export function isHostMessage(data: unknown): data is HostMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return type === "crm:token" || type === "crm:theme";
}
