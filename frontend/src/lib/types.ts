// The records of the staff API, as docs/api.md describes them.

export type ID = string;

export type Role = "owner" | "member";
export type Status = "todo" | "doing" | "done";
export type ActorKind = "staff" | "client" | "system";

export interface Actor {
  kind: ActorKind;
  id: ID;
}

export interface Progress {
  tasks: number;
  done: number;
}

export interface Staff {
  id: ID;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  status: "pending" | "active";
  created: string;
}

export interface Client {
  id: ID;
  email: string;
  name: string;
  disabled: boolean;
  status: "pending" | "accepted";
  created: string;
  accepted?: string;
}

/** A client as a member of one project. */
export interface Member extends Client {
  added: string;
}

/** A client account with the projects of it the caller may reach. */
export interface ClientAccount extends Client {
  project_ids: ID[];
}

export interface Workspace {
  id: ID;
  name: string;
  kind: "personal" | "shared";
  owner_id?: ID;
  created: string;
}

export interface Project {
  id: ID;
  workspace_id: ID;
  name: string;
  description: string;
  /** description_html is the description as the portal renders it: sanitized HTML. */
  description_html?: string;
  archived: boolean;
  portal_on: boolean;
  auto_share: boolean;
  created: string;
  updated: string;
  progress: Progress;
  /** folder is the state of the linked folder ("unlinked" when none), kept current by the
   * live stream's folder-status events. */
  folder?: FolderStatus;
}

export interface Milestone {
  id: ID;
  project_id: ID;
  title: string;
  due?: string;
  shared: boolean;
  order: number;
  created: string;
  progress: Progress;
}

export interface Task {
  id: ID;
  project_id: ID;
  milestone_id?: ID;
  title: string;
  description: string;
  /** description_html is the description as the portal renders it: sanitized HTML. */
  description_html?: string;
  /** description_hash names this description; a save sends it back as its base. */
  description_hash?: string;
  status: Status;
  due?: string;
  assignee?: Actor;
  shared: boolean;
  order: number;
  created: string;
  updated: string;
  completed_at?: string;
  completed_by?: Actor;
}

/** A comment on a task, or on a doc: then doc_id is set and task_id is empty. */
export interface Comment {
  id: ID;
  task_id: ID;
  doc_id?: ID;
  project_id: ID;
  author: Actor;
  body: string;
  /** body_html is the body as the portal renders it: sanitized HTML. */
  body_html?: string;
  internal: boolean;
  created: string;
}

/** A markdown document of a project; title and body are those of its newest version. */
export interface Doc {
  id: ID;
  project_id: ID;
  title: string;
  body: string;
  shared: boolean;
  version: number;
  created: string;
  updated: string;
  updated_by: Actor;
}

/** A doc as the list of a project's docs shows it, without its body. */
export type DocSummary = Omit<Doc, "body">;

/** One saved version of a doc; restored_from names the version it restored, if any. */
export interface DocVersion {
  doc_id: ID;
  n: number;
  title: string;
  body: string;
  author: Actor;
  created: string;
  restored_from?: number;
}

/** A version in a doc's history, without its body; size is the body's length in bytes. */
export interface DocVersionSummary extends Omit<DocVersion, "body"> {
  size: number;
}

export interface DocInput {
  title?: string;
  body?: string;
  shared?: boolean;
  /** The version the change was made from; a newer save by someone else refuses it. */
  base_version?: number;
}

export interface FileRecord {
  id: ID;
  task_id: ID;
  project_id: ID;
  name: string;
  sha256: string;
  size: number;
  content_type: string;
  uploader: Actor;
  created: string;
  content_url: string;
}

export type Action =
  | "project.created"
  | "project.updated"
  | "project.archived"
  | "project.restored"
  | "project.shared"
  | "project.unshared"
  | "milestone.created"
  | "milestone.updated"
  | "milestone.deleted"
  | "task.created"
  | "task.updated"
  | "task.completed"
  | "task.reopened"
  | "task.deleted"
  | "doc.created"
  | "doc.updated"
  | "doc.restored"
  | "doc.shared"
  | "doc.unshared"
  | "doc.deleted"
  | "comment.added"
  | "comment.deleted"
  | "file.uploaded"
  | "file.deleted"
  | "folder.linked"
  | "folder.unlinked"
  | "folder.file.added"
  | "folder.file.updated"
  | "folder.file.removed"
  | "folder.file.shared"
  | "folder.file.unshared"
  | "client.added"
  | "client.removed"
  | "client.disabled"
  | "client.enabled"
  | "client.accepted"
  | "invite.issued"
  | "staff.added"
  | "staff.updated"
  | "workspace.created";

export interface Activity {
  seq: number;
  time: string;
  actor: Actor;
  action: Action;
  project_id?: ID;
  task_id?: ID;
  doc_id?: ID;
  object_id?: ID;
  prev_hash: string;
  hash: string;
}

export interface ActivityPage {
  entries: Activity[];
  next_before: number;
}

export interface Session {
  token: string;
  staff: Staff;
}

/** The answer to adding or re-inviting a client; link is there only when one was made. */
export interface ClientInvite {
  client: Client;
  link?: string;
  mailed: boolean;
}

export interface StaffInvite {
  staff: Staff;
  link: string;
  mailed: boolean;
}

export interface TaskInput {
  title?: string;
  description?: string;
  milestone_id?: ID;
  status?: Status;
  due?: string;
  /** An empty object unassigns. */
  assignee?: Actor | Record<string, never>;
  shared?: boolean;
  order?: number;
  /** base_description_hash is the description_hash a new description was written from:
   * the save is refused (409) when someone else saved another description since. */
  base_description_hash?: string;
}

export interface MilestoneInput {
  title?: string;
  due?: string;
  shared?: boolean;
  order?: number;
}

export interface ProjectInput {
  name?: string;
  description?: string;
  auto_share?: boolean;
  archived?: boolean;
}

/** How the client portal gets its HTTPS certificate (GET /api/v1/tls). */
export interface TLSStatus {
  mode: "local" | "acme";
  domain: string;
  status: "ok" | "obtaining" | "failing";
  last_error: string;
  not_after: string | null;
  issuer: string;
  ca_fingerprint: string;
}

/** The kinds of records a search finds. */
export type SearchKind = "task" | "comment" | "file" | "doc" | "folder_file";

/** A run of plain text; mark is true when it matched the query. Never markup. */
export interface SnippetPart {
  text: string;
  mark?: boolean;
}

export interface Snippet {
  parts: SnippetPart[];
}

/** One record found (GET /api/v1/search): a task, a doc, a comment (titled with its
 * task's or doc's title), a file (titled with its name) or a folder file (titled with its
 * path in the folder). task_id is the task to open, doc_id the doc. */
export interface SearchHit {
  kind: SearchKind;
  id: ID;
  project_id: ID;
  task_id?: ID;
  doc_id?: ID;
  title: Snippet;
  snippet: Snippet;
}

/** A page of hits; total counts every hit up to 100, and more says there are others. */
export interface SearchResults {
  hits: SearchHit[];
  total: number;
  more: boolean;
  counts: Partial<Record<SearchKind, number>>;
}

export interface SearchParams {
  q: string;
  project?: ID;
  kind?: SearchKind | "";
  limit?: number;
  offset?: number;
}

/** A file of the project's linked folder (GET /api/v1/projects/{id}/folder); rel is its
 * path inside the folder. */
export interface FolderFile {
  id: ID;
  project_id: ID;
  rel: string;
  size: number;
  mod_time: string;
  sha256: string;
  content_type: string;
  shared: boolean;
  created: string;
  updated: string;
}

export type FolderState = "unlinked" | "scanning" | "online" | "degraded" | "offline";

/** A linked folder's state; message says why for "degraded" and "offline". */
export interface FolderStatus {
  state: FolderState;
  message?: string;
}

/** A project's linked folder: path is "" when none is linked; root is the host's
 * --folders-root, anywhere is true in the desktop app; waiting_uploads counts the client
 * uploads not yet written into the folder (it was offline, or the write failed). */
export interface FolderView {
  path: string;
  status: FolderStatus;
  files: FolderFile[];
  root?: string;
  anywhere: boolean;
  waiting_uploads: number;
}

/** A linked folder's new state, as the live stream's folder-status event carries it. */
export interface FolderStatusChange {
  project_id: ID;
  state: FolderState;
  message?: string;
}
