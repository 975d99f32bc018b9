// Reordering: tasks and milestones sort by a number, `order`. Moving one item gives it a
// number between its new neighbours; when they leave no room, the whole list is numbered
// again.

export interface Ordered {
  id: string;
  order: number;
}

const gap = 1024;

/** placeAt returns the order changes that move the item with id to position index of
 * list (sorted, the item itself included or not). Usually one change, sometimes all. */
export function placeAt<T extends Ordered>(list: T[], id: string, index: number): Map<string, number> {
  const rest = list.filter((item) => item.id !== id);
  const at = Math.max(0, Math.min(index, rest.length));
  const before = rest[at - 1];
  const after = rest[at];
  const changes = new Map<string, number>();
  let order: number | undefined;
  if (!before && !after) order = 0;
  else if (!before) order = after.order - gap;
  else if (!after) order = before.order + gap;
  else if (after.order - before.order >= 2) order = Math.floor((before.order + after.order) / 2);
  if (order !== undefined) {
    changes.set(id, order);
    return changes;
  }
  const placed = [...rest.slice(0, at).map((i) => i.id), id, ...rest.slice(at).map((i) => i.id)];
  const base = rest[0]?.order ?? 0;
  placed.forEach((itemID, i) => {
    const next = base + i * gap;
    const current = list.find((item) => item.id === itemID)?.order;
    if (current !== next) changes.set(itemID, next);
  });
  return changes;
}

/** byOrder sorts by order, then by ID (IDs sort by creation time). */
export function byOrder<T extends Ordered>(a: T, b: T): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
