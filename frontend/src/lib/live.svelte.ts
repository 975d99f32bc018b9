// The live activity stream, shared by every screen: one EventSource for the whole UI,
// fanned out to the views that care. Besides activity entries it carries the changing
// state of linked folders, which is no entry of the log and has listeners of its own.

import { subscribeEvents, type LiveStatus } from "./api";
import type { Activity, FolderStatusChange } from "./types";

export const live = $state<{ status: LiveStatus }>({ status: "connecting" });

const listeners = new Set<(entry: Activity) => void>();
const folderListeners = new Set<(change: FolderStatusChange) => void>();
const reconnectListeners = new Set<() => void>();
let stream: ReturnType<typeof subscribeEvents> | null = null;

/** onActivity calls fn for every live entry; it returns the function that stops it. */
export function onActivity(fn: (entry: Activity) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** onFolderStatus calls fn for every change of a linked folder's state (scanning, online,
 * degraded, offline, unlinked); it returns the function that stops it. States are not
 * replayed after a reconnection: a view showing one reads it again then (onReconnect). */
export function onFolderStatus(fn: (change: FolderStatusChange) => void): () => void {
  folderListeners.add(fn);
  return () => folderListeners.delete(fn);
}

/** onReconnect calls fn each time the stream is live again after a drop; it returns the
 * function that stops it. */
export function onReconnect(fn: () => void): () => void {
  reconnectListeners.add(fn);
  return () => reconnectListeners.delete(fn);
}

// wasLive tells a reconnection from the first connection.
let wasLive = false;

function setStatus(status: LiveStatus): void {
  if (status === "live" && wasLive) reconnectListeners.forEach((fn) => fn());
  if (status === "live") wasLive = true;
  live.status = status;
}

export function startLive(): void {
  stream?.close();
  wasLive = false;
  stream = subscribeEvents(
    (entry) => listeners.forEach((fn) => fn(entry)),
    setStatus,
    (change) => folderListeners.forEach((fn) => fn(change)),
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
