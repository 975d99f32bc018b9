// The globals the Wails desktop shell (app/) puts on the page. They exist only in the
// desktop window; in a browser `window.go` is undefined. Typed by hand from app/bridge.go:
// no generated bindings are committed.

export {};

declare global {
  /** The answer of a request handed to the staff API in-process. */
  interface PorticoDesktopResponse {
    status: number;
    body: string;
  }

  interface PorticoDesktopInfo {
    version: string;
    data_dir: string;
    portal_url: string;
    staff_id: string;
  }

  /** window.go.app.App: the shell's bound methods; each returns a promise. */
  interface PorticoDesktopApp {
    /** Sends one write (POST, PUT, PATCH, DELETE) to the staff API; body is JSON or "". */
    Request(method: string, path: string, body: string): Promise<PorticoDesktopResponse>;
    /** Opens the native file dialog and attaches the chosen file to the task: the new
     * file record as JSON, or "" when the dialog was cancelled. */
    PickAndUpload(taskID: string): Promise<string>;
    /** Opens the native folder dialog and links the chosen folder to the project: the
     * project's folder as JSON, or "" when the dialog was cancelled. */
    PickFolder(projectID: string): Promise<string>;
    /** Names the task that files dropped on the window attach to ("" for none). */
    SetDropTarget(taskID: string): Promise<void>;
    /** Opens the native save dialog and saves the file there: the path, or "". */
    DownloadFile(fileID: string, name: string): Promise<string>;
    Info(): Promise<PorticoDesktopInfo>;
    /** Gives the local owner a password, without the current one (which no one knows). */
    SetOwnerPassword(password: string): Promise<void>;
  }

  /** The events the shell emits (app/bridge.go). */
  interface PorticoDesktopEvents {
    "upload:progress": { taskID: string; name: string; sent: number; total: number };
    "upload:failed": { taskID: string; name: string; error: string };
    "files:dropped": { taskID: string; paths: string[] };
    "files:drop-ignored": { paths: string[]; reason: string };
  }

  interface WailsRuntime {
    /** Returns the function that stops listening. */
    EventsOn(name: string, callback: (...data: unknown[]) => void): () => void;
    /** Opens the address in the system's browser (or mail program). */
    BrowserOpenURL?(url: string): void;
  }

  interface Window {
    go?: { app?: { App?: PorticoDesktopApp } };
    runtime?: WailsRuntime;
  }
}
