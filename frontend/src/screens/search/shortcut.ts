// The "/" shortcut: outside text fields and dialogs, it puts the cursor in a search box.

import { navigate, searchHref } from "../../lib/router.svelte";

/** focusSearch handles a key press anywhere in the shell: "/" focuses the search screen's
 * box when it is open, else the sidebar's when it is shown, else opens the search screen
 * (on narrow screens the sidebar is folded away). */
export function focusSearch(e: KeyboardEvent): void {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  const target = e.target as HTMLElement | null;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  if (document.querySelector("dialog[open]")) return;
  e.preventDefault();

  const box = document.getElementById("search-q") ?? document.getElementById("sidebar-search");
  if (box instanceof HTMLInputElement && shown(box)) {
    box.focus();
    box.select();
    return;
  }
  navigate(searchHref(""));
}

function shown(el: HTMLElement): boolean {
  return el.offsetParent !== null && getComputedStyle(el).visibility !== "hidden";
}
