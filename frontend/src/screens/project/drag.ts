// Dragging tasks with the mouse in the list and on the board. The keyboard has buttons
// for the same moves; these only add the pointer's way.

const type = "application/x-portico-task";

let dragging: string | null = null;

export function startDrag(e: DragEvent, taskID: string): void {
  dragging = taskID;
  e.dataTransfer?.setData(type, taskID);
  e.dataTransfer?.setData("text/plain", taskID);
  if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
}

export function endDrag(): void {
  dragging = null;
}

/** draggedTask returns the task being dragged over a drop zone, or null for anything else
 * (files, text from elsewhere). */
export function draggedTask(e: DragEvent): string | null {
  if (!e.dataTransfer?.types.includes(type)) return null;
  return dragging;
}

/** dropIndex finds where in a list of task elements (marked data-task-id) the pointer is:
 * before the first element whose middle is below it. */
export function dropIndex(container: HTMLElement, clientY: number, skipID: string): number {
  const items = [...container.querySelectorAll<HTMLElement>("[data-task-id]")].filter(
    (el) => el.dataset.taskId !== skipID,
  );
  const i = items.findIndex((el) => {
    const r = el.getBoundingClientRect();
    return clientY < r.top + r.height / 2;
  });
  return i < 0 ? items.length : i;
}
