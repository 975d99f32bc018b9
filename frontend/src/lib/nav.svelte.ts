// The workspaces and projects the sidebar and home screen list, kept fresh by the live
// stream.

import { api } from "./api";
import type { Project, Workspace } from "./types";

export const nav = $state<{
  workspaces: Workspace[];
  projects: Project[];
  archived: Project[];
  showArchived: boolean;
  loaded: boolean;
}>({ workspaces: [], projects: [], archived: [], showArchived: false, loaded: false });

export async function loadNav(): Promise<void> {
  const [workspaces, projects, archived] = await Promise.all([
    api.workspaces(),
    api.projects(false),
    nav.showArchived ? api.projects(true) : Promise.resolve([] as Project[]),
  ]);
  // Shared workspaces first (the team's work), then the personal one.
  nav.workspaces = workspaces.sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "shared" ? -1 : 1,
  );
  nav.projects = projects;
  nav.archived = archived;
  nav.loaded = true;
}

export function workspaceOf(project: Project | undefined): Workspace | undefined {
  return nav.workspaces.find((w) => w.id === project?.workspace_id);
}
