// The filters of a project's list and board.

import type { Task } from "../../lib/types";

export interface Filters {
  /** "" anyone, "none" unassigned, or "staff:ID" / "client:ID". */
  assignee: string;
  /** "" any, or a status. */
  status: string;
  /** "" all, "shared" visible to clients, "hidden" not. */
  visibility: string;
}

export const noFilters = (): Filters => ({ assignee: "", status: "", visibility: "" });

export function isFiltering(f: Filters): boolean {
  return f.assignee !== "" || f.status !== "" || f.visibility !== "";
}

/** matches reports whether a task passes the filters. sharedMilestone says whether the
 * task's milestone (if any) is shared: a task in a hidden milestone is hidden from clients
 * whatever its own switch says. */
export function matches(t: Task, f: Filters, sharedMilestone: boolean): boolean {
  if (f.status && t.status !== f.status) return false;
  if (f.assignee === "none" && t.assignee?.id) return false;
  if (f.assignee && f.assignee !== "none" && `${t.assignee?.kind}:${t.assignee?.id}` !== f.assignee) return false;
  const visible = t.shared && sharedMilestone;
  if (f.visibility === "shared" && !visible) return false;
  if (f.visibility === "hidden" && visible) return false;
  return true;
}
