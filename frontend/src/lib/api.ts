// The one module that talks to Portico's staff API (docs/api.md). Every component goes
// through it, so the two transports live here and nowhere else:
//
//  - in a browser, everything is plain fetch, XHR (uploads, for their progress) and
//    EventSource, with the staff session cookie;
//  - in the Wails desktop window (window.go.app.App exists), reads and the event stream are
//    still plain fetch and EventSource to the same paths, but every write goes through the
//    bound Go method Request, folders are linked through PickFolder (a native folder
//    dialog), uploads through PickAndUpload (a native file dialog) or a
//    file dropped on the window (the shell reads it; SetDropTarget names the task), and
//    downloads through DownloadFile (a native save dialog), because the window's webview
//    cannot send request bodies or save files.

import type {
  Activity,
  ActivityPage,
  ClientAccount,
  ClientInvite,
  Comment,
  Doc,
  DocInput,
  DocSummary,
  DocVersion,
  DocVersionSummary,
  FileRecord,
  FolderFile,
  FolderStatusChange,
  FolderView,
  ID,
  Member,
  Milestone,
  MilestoneInput,
  Project,
  ProjectInput,
  Role,
  SearchParams,
  SearchResults,
  Session,
  Staff,
  StaffInvite,
  Task,
  TaskInput,
  TLSStatus,
  Workspace,
} from "./types";

/** ApiError is a refused or failed request, with the message meant for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly field?: string;

  constructor(status: number, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const signedOutListeners = new Set<() => void>();

/** onSignedOut calls fn whenever the API answers 401: the session ended or never was. */
export function onSignedOut(fn: () => void): () => void {
  signedOutListeners.add(fn);
  return () => signedOutListeners.delete(fn);
}

function desktopApp(): PorticoDesktopApp | undefined {
  return window.go?.app?.App;
}

/** isDesktop reports whether the page runs inside Portico's desktop window. */
export function isDesktop(): boolean {
  return desktopApp() !== undefined;
}

const unreachable = "Portico cannot be reached. Check that it is running, then try again.";

async function send<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const app = desktopApp();
  let status: number;
  let text: string;
  if (method !== "GET" && app) {
    try {
      const res = await app.Request(method, path, body === undefined ? "" : JSON.stringify(body));
      status = res.status;
      text = res.body;
    } catch {
      throw new ApiError(0, unreachable);
    }
  } else {
    const headers: Record<string, string> = { Accept: "application/json" };
    const init: RequestInit = { method, credentials: "same-origin", headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(path, init);
    } catch {
      throw new ApiError(0, unreachable);
    }
    status = res.status;
    text = await res.text();
  }
  return decode<T>(status, text, path);
}

function decode<T>(status: number, text: string, path: string): T {
  if (status >= 200 && status < 300) {
    return (text ? JSON.parse(text) : undefined) as T;
  }
  if (status === 401 && path !== "/api/v1/session") {
    signedOutListeners.forEach((fn) => fn());
  }
  let message = "";
  let field: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: string; field?: string };
    message = parsed.error ?? "";
    field = parsed.field || undefined;
  } catch {
    // not JSON: a proxy or the server's plain-text 404; the status says enough
  }
  throw new ApiError(status, readable(status, message), field);
}

function readable(status: number, message: string): string {
  if (status === 429) return "Too many attempts. Wait a few seconds and try again.";
  if (status >= 500) return "Something went wrong on the server. Try again in a moment.";
  if (status === 404 && (!message || message === "not found")) {
    return "This no longer exists, or you may not see it.";
  }
  if (!message) return `The request failed (${status}).`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

const get = <T>(path: string) => send<T>("GET", path);
const enc = encodeURIComponent;

// Uploads

/** UploadHandle is a running browser upload. */
export interface UploadHandle {
  done: Promise<FileRecord>;
  abort(): void;
}

/** uploadFile sends one file to a task from the browser, reporting progress from 0 to 1. */
export function uploadFile(taskID: ID, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<FileRecord>((resolve, reject) => {
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      try {
        resolve(decode<FileRecord>(xhr.status, xhr.responseText, "upload"));
      } catch (err) {
        reject(err);
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, unreachable)));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "The upload was cancelled.")));
  });
  const form = new FormData();
  form.append("file", file, file.name);
  xhr.open("POST", `/api/v1/tasks/${enc(taskID)}/files`);
  xhr.withCredentials = true;
  xhr.setRequestHeader("Accept", "application/json");
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}

/** pickAndUpload opens the desktop's file dialog and attaches the chosen file to the task;
 * null when the dialog was cancelled. Desktop only. */
export async function pickAndUpload(taskID: ID): Promise<FileRecord | null> {
  const app = desktopApp();
  if (!app) throw new Error("pickAndUpload needs the desktop window");
  let raw: string;
  try {
    raw = await app.PickAndUpload(taskID);
  } catch (err) {
    throw new ApiError(0, err instanceof Error ? err.message : String(err));
  }
  return raw ? (JSON.parse(raw) as FileRecord) : null;
}

/** pickFolder opens the desktop's folder dialog and links the chosen folder to the project;
 * null when the dialog was cancelled. Desktop only: a browser types the path (linkFolder). */
export async function pickFolder(projectID: ID): Promise<FolderView | null> {
  const app = desktopApp();
  if (!app) throw new Error("pickFolder needs the desktop window");
  let raw: string;
  try {
    raw = await app.PickFolder(projectID);
  } catch (err) {
    throw new ApiError(0, err instanceof Error ? err.message : String(err));
  }
  return raw ? (JSON.parse(raw) as FolderView) : null;
}

/** setDropTarget tells the desktop shell which task files dropped on the window attach
 * to ("" for none); the shell reads them from disk and uploads them itself. No-op in a
 * browser. */
export function setDropTarget(taskID: ID | ""): void {
  void desktopApp()?.SetDropTarget(taskID).catch(() => {});
}

/** onDesktopEvent follows one of the shell's events (upload progress, failed uploads,
 * dropped files); it returns the function that stops it. No-op in a browser. */
export function onDesktopEvent<K extends keyof PorticoDesktopEvents>(
  name: K,
  fn: (data: PorticoDesktopEvents[K]) => void,
): () => void {
  const rt = window.runtime;
  if (!isDesktop() || !rt?.EventsOn) return () => {};
  return rt.EventsOn(name, (data) => fn(data as PorticoDesktopEvents[K]));
}

/** openExternal opens an address outside the app: a new tab in a browser; in the desktop
 * window, whose webview opens no tabs, the system's browser or mail program, for http,
 * https and mailto addresses only. */
export function openExternal(href: string): void {
  if (isDesktop()) {
    if (/^(https?|mailto):/i.test(href)) window.runtime?.BrowserOpenURL?.(href);
    return;
  }
  window.open(href, "_blank", "noopener,noreferrer");
}

/** setOwnerPassword gives the desktop's local owner a password without the current one,
 * which no one knows. Desktop only: no HTTP route does this. */
export async function setOwnerPassword(password: string): Promise<void> {
  const app = desktopApp();
  if (!app) throw new Error("setOwnerPassword needs the desktop window");
  try {
    await app.SetOwnerPassword(password);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ApiError(400, msg.charAt(0).toUpperCase() + msg.slice(1));
  }
}

/** downloadFile saves a file through the desktop's native save dialog: the path it was
 * saved to, or null when cancelled. Desktop only; a browser follows content_url. */
export async function downloadFile(fileID: ID, name: string): Promise<string | null> {
  const app = desktopApp();
  if (!app) throw new Error("downloadFile needs the desktop window");
  try {
    return (await app.DownloadFile(fileID, name)) || null;
  } catch (err) {
    throw new ApiError(0, err instanceof Error ? err.message : String(err));
  }
}

// Live events

export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

const maxReconnects = 12;

/** subscribeEvents follows GET /api/v1/events, calling onEntry for each activity entry in
 * log order, onFolder for each change of a linked folder's state, and onStatus as the
 * connection changes. After a drop it reconnects with the last entry's ID, so nothing is
 * missed; it gives up after a bounded number of attempts (reconnect() starts again). It
 * stops when the session ends. */
export function subscribeEvents(
  onEntry: (entry: Activity) => void,
  onStatus: (status: LiveStatus) => void,
  onFolder?: (change: FolderStatusChange) => void,
): { close(): void; reconnect(): void } {
  let source: EventSource | null = null;
  let lastID = "";
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    clearTimeout(timer);
    source?.close();
    onStatus(attempts === 0 ? "connecting" : "reconnecting");
    const url = lastID ? `/api/v1/events?last_event_id=${enc(lastID)}` : "/api/v1/events";
    const es = new EventSource(url, { withCredentials: true });
    source = es;
    es.addEventListener("open", () => {
      attempts = 0;
      onStatus("live");
    });
    es.addEventListener("activity", (e) => {
      const msg = e as MessageEvent<string>;
      if (msg.lastEventId) lastID = msg.lastEventId;
      try {
        onEntry(JSON.parse(msg.data) as Activity);
      } catch {
        // a malformed entry is skipped; the next refresh shows the truth
      }
    });
    // Folder states carry no id: they are not log entries and leave lastID as it is.
    es.addEventListener("folder-status", (e) => {
      try {
        onFolder?.(JSON.parse((e as MessageEvent<string>).data) as FolderStatusChange);
      } catch {
        // skipped like a malformed entry
      }
    });
    es.addEventListener("error", () => {
      if (es.readyState === EventSource.CONNECTING) {
        onStatus("reconnecting"); // the browser retries on its own, with Last-Event-ID
        return;
      }
      es.close();
      void retry();
    });
  };

  const retry = async () => {
    if (closed) return;
    try {
      await api.me(); // a 401 here signs the UI out through onSignedOut
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        onStatus("offline");
        return;
      }
    }
    attempts++;
    if (attempts > maxReconnects) {
      onStatus("offline");
      return;
    }
    onStatus("reconnecting");
    timer = setTimeout(open, Math.min(30_000, 1000 * 2 ** Math.min(attempts, 5)));
  };

  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
    reconnect() {
      if (closed) return;
      attempts = 0;
      open();
    },
  };
}

// Routes

export const api = {
  // session
  me: () => get<Staff>("/api/v1/me"),
  tls: () => get<TLSStatus>("/api/v1/tls"),
  /** caCertURL downloads the local CA's certificate, for clients to trust. */
  caCertURL: "/api/v1/ca.crt",
  signIn: (email: string, password: string) =>
    send<Session>("POST", "/api/v1/session", { email, password }),
  signOut: () => send<void>("DELETE", "/api/v1/session"),
  signOutOthers: () => send<{ ended: number }>("POST", "/api/v1/session/others"),
  changePassword: (current_password: string, new_password: string) =>
    send<void>("PUT", "/api/v1/me/password", { current_password, new_password }),
  requestReset: (email: string) =>
    send<{ status: string }>("POST", "/api/v1/password-reset", { email }),

  // staff
  staff: () => get<Staff[]>("/api/v1/staff"),
  inviteStaff: (email: string, name: string, role: Role) =>
    send<StaffInvite>("POST", "/api/v1/staff", { email, name, role }),
  reinviteStaff: (id: ID) => send<StaffInvite>("POST", `/api/v1/staff/${enc(id)}/invite`),
  /** staffResetLink makes a one-time password-reset link for another member, shown once. */
  staffResetLink: (id: ID) =>
    send<{ staff: Staff; link: string }>("POST", `/api/v1/staff/${enc(id)}/reset-link`),
  updateStaff: (id: ID, change: { name?: string; role?: Role; disabled?: boolean }) =>
    send<Staff>("PATCH", `/api/v1/staff/${enc(id)}`, change),

  // workspaces and projects
  workspaces: () => get<Workspace[]>("/api/v1/workspaces"),
  createWorkspace: (name: string) => send<Workspace>("POST", "/api/v1/workspaces", { name }),
  projects: (archived = false) =>
    get<Project[]>(`/api/v1/projects${archived ? "?archived=true" : ""}`),
  project: (id: ID) => get<Project>(`/api/v1/projects/${enc(id)}`),
  createProject: (input: ProjectInput & { workspace_id: ID; name: string }) =>
    send<Project>("POST", "/api/v1/projects", input),
  updateProject: (id: ID, change: ProjectInput) =>
    send<Project>("PATCH", `/api/v1/projects/${enc(id)}`, change),
  setPortal: (id: ID, on: boolean) =>
    send<Project>("PUT", `/api/v1/projects/${enc(id)}/portal`, { on }),
  unshare: (id: ID) => send<Project>("POST", `/api/v1/projects/${enc(id)}/unshare`),
  activity: (id: ID, before = 0, limit = 200) =>
    get<ActivityPage>(
      `/api/v1/projects/${enc(id)}/activity?limit=${limit}${before ? `&before=${before}` : ""}`,
    ),

  // folder sync
  folder: (projectID: ID) => get<FolderView>(`/api/v1/projects/${enc(projectID)}/folder`),
  linkFolder: (projectID: ID, path: string) =>
    send<FolderView>("PUT", `/api/v1/projects/${enc(projectID)}/folder`, { path }),
  unlinkFolder: (projectID: ID) => send<void>("DELETE", `/api/v1/projects/${enc(projectID)}/folder`),
  shareFolderFile: (id: ID, shared: boolean) =>
    send<FolderFile>("PATCH", `/api/v1/folder-files/${enc(id)}`, { shared }),
  folderFileURL: (id: ID) => `/api/v1/folder-files/${enc(id)}/content`,

  // milestones
  milestones: (projectID: ID) => get<Milestone[]>(`/api/v1/projects/${enc(projectID)}/milestones`),
  createMilestone: (projectID: ID, input: MilestoneInput & { title: string }) =>
    send<Milestone>("POST", `/api/v1/projects/${enc(projectID)}/milestones`, input),
  updateMilestone: (id: ID, change: MilestoneInput) =>
    send<Milestone>("PATCH", `/api/v1/milestones/${enc(id)}`, change),
  deleteMilestone: (id: ID) => send<void>("DELETE", `/api/v1/milestones/${enc(id)}`),

  // tasks
  tasks: (projectID: ID) => get<Task[]>(`/api/v1/projects/${enc(projectID)}/tasks`),
  task: (id: ID) => get<Task>(`/api/v1/tasks/${enc(id)}`),
  createTask: (projectID: ID, input: TaskInput & { title: string }) =>
    send<Task>("POST", `/api/v1/projects/${enc(projectID)}/tasks`, input),
  updateTask: (id: ID, change: TaskInput) => send<Task>("PATCH", `/api/v1/tasks/${enc(id)}`, change),
  deleteTask: (id: ID) => send<void>("DELETE", `/api/v1/tasks/${enc(id)}`),

  // comments and files
  comments: (taskID: ID) => get<Comment[]>(`/api/v1/tasks/${enc(taskID)}/comments`),
  addComment: (taskID: ID, body: string, internal: boolean) =>
    send<Comment>("POST", `/api/v1/tasks/${enc(taskID)}/comments`, { body, internal }),
  deleteComment: (id: ID) => send<void>("DELETE", `/api/v1/comments/${enc(id)}`),
  files: (taskID: ID) => get<FileRecord[]>(`/api/v1/tasks/${enc(taskID)}/files`),
  deleteFile: (id: ID) => send<void>("DELETE", `/api/v1/files/${enc(id)}`),

  /** previewMarkdown renders markdown on the server, exactly as the portal shows it. */
  previewMarkdown: (text: string) =>
    send<{ html: string }>("POST", "/api/v1/markdown/preview", { text }),

  // docs
  docs: (projectID: ID) => get<DocSummary[]>(`/api/v1/projects/${enc(projectID)}/docs`),
  doc: (id: ID) => get<Doc>(`/api/v1/docs/${enc(id)}`),
  createDoc: (projectID: ID, input: DocInput & { title: string }) =>
    send<Doc>("POST", `/api/v1/projects/${enc(projectID)}/docs`, input),
  updateDoc: (id: ID, change: DocInput) => send<Doc>("PATCH", `/api/v1/docs/${enc(id)}`, change),
  deleteDoc: (id: ID) => send<void>("DELETE", `/api/v1/docs/${enc(id)}`),
  docVersions: (id: ID) => get<DocVersionSummary[]>(`/api/v1/docs/${enc(id)}/versions`),
  docVersion: (id: ID, n: number) => get<DocVersion>(`/api/v1/docs/${enc(id)}/versions/${n}`),
  restoreDocVersion: (id: ID, n: number) =>
    send<Doc>("POST", `/api/v1/docs/${enc(id)}/versions/${n}/restore`),
  docComments: (id: ID) => get<Comment[]>(`/api/v1/docs/${enc(id)}/comments`),
  addDocComment: (id: ID, body: string, internal: boolean) =>
    send<Comment>("POST", `/api/v1/docs/${enc(id)}/comments`, { body, internal }),

  // clients
  members: (projectID: ID) => get<Member[]>(`/api/v1/projects/${enc(projectID)}/clients`),
  addClient: (projectID: ID, email: string, name: string) =>
    send<ClientInvite>("POST", `/api/v1/projects/${enc(projectID)}/clients`, { email, name }),
  reinviteClient: (projectID: ID, clientID: ID) =>
    send<ClientInvite>(
      "POST",
      `/api/v1/projects/${enc(projectID)}/clients/${enc(clientID)}/invite`,
    ),
  removeClient: (projectID: ID, clientID: ID) =>
    send<void>("DELETE", `/api/v1/projects/${enc(projectID)}/clients/${enc(clientID)}`),
  clients: () => get<ClientAccount[]>("/api/v1/clients"),
  /** setClientDisabled locks a client account out of every project, ending all its
   * sessions at once, or lets it sign in again. */
  setClientDisabled: (id: ID, disabled: boolean) =>
    send<ClientAccount>("PATCH", `/api/v1/clients/${enc(id)}`, { disabled }),

  /** search finds what the caller may work in; a 503 ApiError means the index is being
   * rebuilt. */
  search: (p: SearchParams) => {
    const params = new URLSearchParams({ q: p.q });
    if (p.project) params.set("project", p.project);
    if (p.kind) params.set("kind", p.kind);
    if (p.limit) params.set("limit", String(p.limit));
    if (p.offset) params.set("offset", String(p.offset));
    return get<SearchResults>(`/api/v1/search?${params}`);
  },

  /** previewURL is the portal as one client of the project sees it, read-only. */
  previewURL: (projectID: ID, clientID: ID) =>
    `/api/v1/projects/${enc(projectID)}/preview/${enc(clientID)}`,
  /** previewStatus asks whether the preview answers, without showing it. */
  previewStatus: async (projectID: ID, clientID: ID): Promise<number> => {
    try {
      const res = await fetch(api.previewURL(projectID, clientID), { credentials: "same-origin" });
      return res.status;
    } catch {
      return 0;
    }
  },
};
