// Fields a role may not read come back null with a FORBIDDEN error at their path. The
// cache keeps the null but not the error, so the names seen forbidden are remembered
// for the session: a null there then reads "Hidden", not "nothing".
import { useSyncExternalStore } from 'react';
import { mapExchange, type Exchange } from 'urql';

let hidden = new Set<string>();
const listeners = new Set<() => void>();

export function noteForbidden(paths: readonly (readonly (string | number)[])[]): void {
  const names = paths.map((path) => path[path.length - 1]).filter((name): name is string => typeof name === 'string');
  if (names.every((name) => hidden.has(name))) return;
  hidden = new Set([...hidden, ...names]);
  listeners.forEach((listener) => listener());
}

export function resetForbidden(): void {
  hidden = new Set();
  listeners.forEach((listener) => listener());
}

export function useHiddenFields(): ReadonlySet<string> {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => hidden,
  );
}

export const forbiddenFieldsExchange: Exchange = mapExchange({
  onResult(result) {
    const paths = (result.error?.graphQLErrors ?? [])
      .filter((error) => error.extensions?.code === 'FORBIDDEN' && error.path)
      .map((error) => error.path ?? []);
    if (paths.length) noteForbidden(paths);
    return result;
  },
});

/** A query's error worth showing: not the per-field FORBIDDEN ones (those read "Hidden"). */
export function fatalError(error: { graphQLErrors: readonly { extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[]; networkError?: Error; message: string } | undefined): string | null {
  if (!error) return null;
  if (error.networkError) return error.message;
  const rest = error.graphQLErrors.filter((e) => e.extensions?.code !== 'FORBIDDEN');
  return rest.length ? error.message : null;
}

type Failure = { graphQLErrors: readonly { extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[] } | undefined;

/** The whole list is forbidden to this role (a FORBIDDEN error at a root field). */
export function forbiddenRoot(error: Failure): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.length === 1);
}
