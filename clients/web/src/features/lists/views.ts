// Saved views: a list's search, filter and sort under a name, kept in this browser.

export interface ListState {
  search: string;
  choice: string; // the list's one enumerated filter (lifecycle stage or status), '' for all
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface SavedView extends ListState {
  name: string;
}

const key = (kind: string) => `crm.views.${kind}`;

export function loadViews(kind: string, storage: Storage = localStorage): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key(kind)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as SavedView[]) : [];
  } catch {
    return [];
  }
}

export function saveView(kind: string, view: SavedView, storage: Storage = localStorage): SavedView[] {
  const views = [...loadViews(kind, storage).filter((v) => v.name !== view.name), view];
  storage.setItem(key(kind), JSON.stringify(views));
  return views;
}

export function deleteView(kind: string, name: string, storage: Storage = localStorage): SavedView[] {
  const views = loadViews(kind, storage).filter((v) => v.name !== name);
  storage.setItem(key(kind), JSON.stringify(views));
  return views;
}
