// Dates, sizes and labels as people read them.

import type { Status } from "./types";

export const statusLabel: Record<Status, string> = { todo: "To do", doing: "Doing", done: "Done" };
export const statuses: Status[] = ["todo", "doing", "done"];

const dateFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const dateYearFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** today is the local calendar date written YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** dueLabel shows a calendar date (YYYY-MM-DD) briefly, with the year only when it is not
 * this one. */
export function dueLabel(due: string): string {
  const [y, m, d] = due.split("-").map(Number);
  const date = new Date(y, m - 1, d);
  return y === new Date().getFullYear() ? dateFmt.format(date) : dateYearFmt.format(date);
}

export function isOverdue(due: string | undefined, status: Status): boolean {
  return !!due && status !== "done" && due < today();
}

export function fullTime(iso: string): string {
  return fullFmt.format(new Date(iso));
}

export function ago(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relFmt.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relFmt.format(Math.round(seconds / 3600), "hour");
  if (abs < 86400 * 7) return relFmt.format(Math.round(seconds / 86400), "day");
  return dateYearFmt.format(new Date(iso));
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let n = bytes / 1024;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

export function percent(done: number, total: number): number {
  return total === 0 ? 0 : Math.round((done / total) * 100);
}
