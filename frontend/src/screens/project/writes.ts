// The project screen's writes in flight, per object ("task:<id>", "milestone:<id>",
// "project"). Live events make the screen reload the whole project, and such a read can
// answer with data from before the user's latest change; this bookkeeping lets the reload
// tell which objects it may overwrite and which it must leave as the user left them.

/** Writes runs the writes of each object one after another and remembers, on a logical
 * clock, when each object was last written. */
export class Writes {
  #clock = 0;
  #inFlight = new Map<string, number>();
  #touched = new Map<string, number>();
  #tail = new Map<string, Promise<unknown>>();
  #onIdle: () => void;

  /** onIdle is called whenever the last write in flight settles. */
  constructor(onIdle: () => void) {
    this.#onIdle = onIdle;
  }

  /** mark is the clock now: a read that starts at it says nothing reliable about an object
   * written since. */
  mark(): number {
    return this.#clock;
  }

  /** idle reports whether no write is in flight. */
  get idle(): boolean {
    return this.#inFlight.size === 0;
  }

  /** busy reports whether a write of the object is in flight. */
  busy(key: string): boolean {
    return this.#inFlight.has(key);
  }

  /** trusted reports whether a read that started at mark may overwrite the object: none of
   * its writes is in flight, and none started or settled since. */
  trusted(key: string, mark: number): boolean {
    return !this.#inFlight.has(key) && (this.#touched.get(key) ?? 0) <= mark;
  }

  /** touch records a change to the object made outside run (a creation), so that reads
   * which started earlier do not undo it. */
  touch(key: string): void {
    this.#touched.set(key, ++this.#clock);
  }

  /** run sends a write once the object's earlier writes have settled, so the server applies
   * them in the order the user made them, and answers what send answers. */
  async run<T>(key: string, send: () => Promise<T>): Promise<T> {
    const before = this.#tail.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(send);
    this.#tail.set(key, mine);
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    this.touch(key);
    try {
      return await mine;
    } finally {
      if (this.#tail.get(key) === mine) this.#tail.delete(key);
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(key, left);
      else this.#inFlight.delete(key);
      this.touch(key);
      if (this.#inFlight.size === 0) this.#onIdle();
    }
  }
}

/** merge is a list as a read answered it, except that the objects the read may not
 * overwrite keep their version here: present or absent, as the user left them. kept says
 * whether any did. */
export function merge<T extends { id: string }>(
  mine: T[],
  read: T[],
  trusted: (id: string) => boolean,
): { list: T[]; kept: boolean } {
  const local = new Map(mine.map((o) => [o.id, o]));
  const seen = new Set<string>();
  const list: T[] = [];
  let kept = false;
  for (const o of read) {
    seen.add(o.id);
    if (trusted(o.id)) {
      list.push(o);
      continue;
    }
    kept = true;
    const l = local.get(o.id);
    if (l) list.push(l);
  }
  for (const o of mine) {
    if (!seen.has(o.id) && !trusted(o.id)) {
      kept = true;
      list.push(o);
    }
  }
  return { list, kept };
}
