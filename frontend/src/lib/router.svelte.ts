// Hash routing: the server serves only "/", and the UI's place is the URL fragment,
// for example #/projects/01JMX…?view=board&task=01JMX…, #/projects/01JMX…/docs/01JMX… for
// a project's doc, or #/projects/01JMX…/folder?file=01JMX… for its linked folder with one
// file picked out.

export type Route =
  | { name: "home" }
  | {
      name: "project";
      id: string;
      view: "list" | "board";
      task: string | null;
      /** docs is set on the project's Docs tab, doc when one doc is open there. */
      docs: boolean;
      doc: string | null;
      /** folder is set when the project's folder view is open, file when one of its files
       * is picked out there (a search hit). */
      folder: boolean;
      file: string | null;
    }
  | { name: "staff" }
  | { name: "clients" }
  | { name: "account" }
  | { name: "search"; q: string; project: string; kind: string };

function parse(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#/, "").split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts[0] === "projects" && parts[1]) {
    return {
      name: "project",
      id: parts[1],
      view: params.get("view") === "board" ? "board" : "list",
      task: params.get("task"),
      docs: parts[2] === "docs",
      doc: parts[2] === "docs" ? (parts[3] ?? null) : null,
      folder: parts[2] === "folder",
      file: parts[2] === "folder" ? params.get("file") : null,
    };
  }
  if (parts[0] === "staff") return { name: "staff" };
  if (parts[0] === "clients") return { name: "clients" };
  if (parts[0] === "account") return { name: "account" };
  if (parts[0] === "search") {
    return {
      name: "search",
      q: params.get("q") ?? "",
      project: params.get("project") ?? "",
      kind: params.get("kind") ?? "",
    };
  }
  return { name: "home" };
}

export const router = $state({ route: parse(location.hash) });

window.addEventListener("hashchange", () => {
  router.route = parse(location.hash);
});

/** projectHref is the address of a project, in a view, optionally with a task open. */
export function projectHref(id: string, view: "list" | "board" = "list", task?: string | null): string {
  const params = new URLSearchParams();
  if (view === "board") params.set("view", "board");
  if (task) params.set("task", task);
  const query = params.toString();
  return `#/projects/${encodeURIComponent(id)}${query ? `?${query}` : ""}`;
}

/** docsHref is the address of a project's Docs tab, optionally with one doc open. */
export function docsHref(projectID: string, docID?: string | null): string {
  const doc = docID ? `/${encodeURIComponent(docID)}` : "";
  return `#/projects/${encodeURIComponent(projectID)}/docs${doc}`;
}

/** folderHref is the address of a project's folder view, optionally with one folder file
 * picked out, over the project in a view. */
export function folderHref(projectID: string, file?: string | null, view: "list" | "board" = "list"): string {
  const params = new URLSearchParams();
  if (view === "board") params.set("view", "board");
  if (file) params.set("file", file);
  const query = params.toString();
  return `#/projects/${encodeURIComponent(projectID)}/folder${query ? `?${query}` : ""}`;
}

export function navigate(href: string): void {
  if (location.hash !== href) location.hash = href;
}

/** searchHref is the address of the search screen for a query and its filters. */
export function searchHref(q: string, project = "", kind = ""): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (project) params.set("project", project);
  if (kind) params.set("kind", kind);
  const query = params.toString();
  return `#/search${query ? `?${query}` : ""}`;
}

/** replaceRoute moves to href without a new history entry, as typing a query does. */
export function replaceRoute(href: string): void {
  if (location.hash === href) return;
  history.replaceState(history.state, "", href);
  router.route = parse(href);
}
