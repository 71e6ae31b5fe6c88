// Whether the API last said a dependency does not answer (503 DATABASE_UNAVAILABLE / TEMPORAL_UNAVAILABLE): set from
// the one place every request passes (client.ts), read by the notice on every page (UnavailableNotice).
import { useSyncExternalStore } from 'react';

export interface Unavailable {
  /** The API's Retry-After, in seconds. */
  retryAfterSeconds: number;
}

let current: Unavailable | undefined;
const listeners = new Set<() => void>();

function set(next: Unavailable | undefined): void {
  if (current === next || (current && next && current.retryAfterSeconds === next.retryAfterSeconds)) return;
  current = next;
  for (const listener of listeners) listener();
}

export function reportUnavailable(retryAfterSeconds: number): void {
  set({ retryAfterSeconds });
}

/** Any answer that is not such a 503 means the API and what is behind it answer again. */
export function reportAnswered(): void {
  set(undefined);
}

export function useUnavailable(): Unavailable | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
