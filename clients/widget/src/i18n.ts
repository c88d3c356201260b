// The widget's strings in English and Simplified Chinese; dates and money follow the locale.
const MESSAGES = {
  en: {
    openOpportunities: "Open opportunities ({count})",
    noneOpen: "None open.",
    recent: "Recent interactions",
    placeholder: "Log a note or call…",
    log: "Log",
    kind: "Kind",
    note: "Note",
    call: "Call",
    notFoundRecord: "Nothing to show for this record.",
    notFoundEmail: "No contact with {email}.",
    noSubject: "Give the widget an email or a record.",
    wrongPage: "This token is not for this page.",
    embedOnly: "This page works only inside a <crm-widget>.",
    loading: "Loading…",
  },
  "zh-CN": {
    openOpportunities: "进行中的商机（{count}）",
    noneOpen: "暂无进行中的商机。",
    recent: "最近互动",
    placeholder: "记录备注或通话…",
    log: "记录",
    kind: "类型",
    note: "备注",
    call: "通话",
    notFoundRecord: "此记录没有可显示的内容。",
    notFoundEmail: "没有邮箱为 {email} 的联系人。",
    noSubject: "请为组件提供邮箱或记录。",
    wrongPage: "此令牌不属于本页面。",
    embedOnly: "此页面只能在 <crm-widget> 中使用。",
    loading: "加载中…",
  },
} as const;

export type MessageKey = keyof (typeof MESSAGES)["en"];
type Locale = keyof typeof MESSAGES;

/** The supported locale closest to `wanted` (e.g. "zh", "zh-Hans-CN" -> zh-CN), else English. */
export function pickLocale(wanted: string | null | undefined): Locale {
  return (wanted ?? "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export const locale: Locale = pickLocale(new URLSearchParams(window.location.search).get("lang") ?? navigator.language);

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
}

export function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`; // a currency code Intl does not know
  }
}
