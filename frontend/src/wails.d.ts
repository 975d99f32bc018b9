// The globals the Wails desktop shell (app/) puts on the page. They exist only in the
// desktop window; in a browser `window.go` is undefined. Typed by hand: no generated
// bindings are committed.

export {};

declare global {
  /** The answer of a write handed to the staff API in-process. */
  interface PorticoDesktopResponse {
    status: number;
    body: string;
  }

  interface PorticoDesktopApp {
    /** Sends one write (POST, PUT, PATCH, DELETE) to the staff API; body is JSON or "". */
    Request(method: string, path: string, body: string): Promise<PorticoDesktopResponse>;
    /** Opens the native file dialog and attaches the chosen file to the task: the new
     * file record as JSON, or "" when the dialog was cancelled. */
    PickAndUpload(taskID: string): Promise<string>;
  }

  interface WailsRuntime {
    EventsOn(name: string, callback: (...data: unknown[]) => void): () => void;
    EventsEmit(name: string, ...data: unknown[]): void;
    OnFileDrop(callback: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean): void;
    OnFileDropOff(): void;
  }

  interface Window {
    go?: { app?: { App?: PorticoDesktopApp } };
    runtime?: WailsRuntime;
  }
}
