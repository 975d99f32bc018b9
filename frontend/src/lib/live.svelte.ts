// The live activity stream, shared by every screen: one EventSource for the whole UI,
// fanned out to the views that care.

import { subscribeEvents, type LiveStatus } from "./api";
import type { Activity } from "./types";

export const live = $state<{ status: LiveStatus }>({ status: "connecting" });

const listeners = new Set<(entry: Activity) => void>();
let stream: ReturnType<typeof subscribeEvents> | null = null;

/** onActivity calls fn for every live entry; it returns the function that stops it. */
export function onActivity(fn: (entry: Activity) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function startLive(): void {
  stream?.close();
  stream = subscribeEvents(
    (entry) => listeners.forEach((fn) => fn(entry)),
    (status) => (live.status = status),
  );
}

export function stopLive(): void {
  stream?.close();
  stream = null;
}

export function reconnectLive(): void {
  stream?.reconnect();
}

/** debounce runs fn once after a burst of calls settles, so a flurry of events makes one
 * refresh. */
export function debounce(fn: () => void, ms = 150): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
