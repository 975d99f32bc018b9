// Short messages about what just happened, read out by screen readers.

export interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function toast(text: string, kind: Toast["kind"] = "ok"): void {
  const id = next++;
  toasts.push({ id, kind, text });
  setTimeout(() => dismiss(id), kind === "error" ? 8000 : 4000);
}

export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

/** failed shows an error from a refused request. */
export function failed(err: unknown): void {
  toast(err instanceof Error ? err.message : String(err), "error");
}
