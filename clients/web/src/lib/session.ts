import { createContext, useContext } from 'react';
import type { Session } from './auth';

export interface SessionState {
  session: Session;
  timeZone: string;
  setTimeZone: (zone: string) => void;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside the signed-in app');
  return state;
}

const ZONE_KEY = 'crm.timeZone';

/** The tenant's time zone as chosen in the header; the browser's until then. */
export function storedTimeZone(): string {
  return localStorage.getItem(ZONE_KEY) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function storeTimeZone(zone: string): void {
  localStorage.setItem(ZONE_KEY, zone);
}
