// One project's records while its screen is open: the project, its milestones, tasks and
// clients. The list, the board, the task drawer and the Share dialog all read and change
// them through this object, so a change shows everywhere at once.
//
// Changes show at once and are sent in the background, one after another per object.
// Live events reload everything; a reload never overwrites an object with a write in flight
// or written since the reload started (it could answer with data from before the user's
// latest click), and once the writes settle the screen reloads again to catch up.

import { getContext, setContext } from "svelte";
import { api } from "../../lib/api";
import { byOrder, placeAt } from "../../lib/order";
import { failed } from "../../lib/toasts.svelte";
import type {
  FolderStatus,
  FolderStatusChange,
  ID,
  Member,
  Milestone,
  MilestoneInput,
  Project,
  Task,
  TaskInput,
} from "../../lib/types";
import { merge, Writes } from "./writes";

const taskKey = (id: ID) => `task:${id}`;
const milestoneKey = (id: ID) => `milestone:${id}`;
const projectKey = "project";

export class ProjectData {
  readonly id: string;
  project = $state<Project | null>(null);
  milestones = $state<Milestone[]>([]);
  tasks = $state<Task[]>([]);
  members = $state<Member[]>([]);
  missing = $state(false);
  loaded = $state(false);
  /** folder is the linked folder's state: from each load, and live between loads. */
  folder = $state<FolderStatus>({ state: "unlinked" });

  sortedMilestones = $derived([...this.milestones].sort(byOrder));
  sortedTasks = $derived([...this.tasks].sort(byOrder));

  readonly #writes = new Writes(() => this.#caughtUp());
  #reloadWhenIdle = false;
  #loads = 0;
  #shown = 0;
  #folderChanges = 0;

  constructor(id: string) {
    this.id = id;
  }

  /** load reads the whole project, leaving alone the objects the user is changing. */
  async load(): Promise<void> {
    const n = ++this.#loads;
    const mark = this.#writes.mark();
    const folderMark = this.#folderChanges;
    try {
      const [project, milestones, tasks, members] = await Promise.all([
        api.project(this.id),
        api.milestones(this.id),
        api.tasks(this.id),
        api.members(this.id),
      ]);
      if (n < this.#shown) return; // a later load has answered already
      this.#shown = n;

      const trusted = (kind: (id: ID) => string) => (id: ID) => this.#writes.trusted(kind(id), mark);
      const m = merge(this.milestones, milestones, trusted(milestoneKey));
      const t = merge(this.tasks, tasks, trusted(taskKey));
      const projectTrusted = this.#writes.trusted(projectKey, mark) || !this.project;
      this.project = projectTrusted ? project : this.project;
      this.milestones = m.list;
      this.tasks = t.list;
      this.members = members;
      this.missing = false;
      // A state that arrived live while this load was on its way is newer than its answer.
      if (project.folder && folderMark === this.#folderChanges) this.folder = project.folder;
      if (m.kept || t.kept || !projectTrusted) this.#catchUpLater();
    } catch (err) {
      if ((err as { status?: number }).status === 404) this.missing = true;
      else failed(err);
    } finally {
      this.loaded = true;
    }
  }

  /** #catchUpLater reloads once no write is in flight, for what others changed meanwhile
   * in the objects the last load left alone. */
  #catchUpLater(): void {
    if (this.#writes.idle) void this.load();
    else this.#reloadWhenIdle = true;
  }

  #caughtUp(): void {
    if (!this.#reloadWhenIdle) return;
    this.#reloadWhenIdle = false;
    void this.load();
  }

  /** folderChanged shows a live change of the project's folder state. */
  folderChanged(change: FolderStatusChange): void {
    if (change.project_id !== this.id) return;
    this.#folderChanges++;
    this.folder = { state: change.state, message: change.message };
  }

  async loadMembers(): Promise<void> {
    this.members = await api.members(this.id);
  }

  /** tasksIn lists, in order, the tasks of a milestone ("" for those outside any). */
  tasksIn(milestoneID: string): Task[] {
    return this.sortedTasks.filter((t) => (t.milestone_id ?? "") === milestoneID);
  }

  milestone(id: string | undefined): Milestone | undefined {
    return id ? this.milestones.find((m) => m.id === id) : undefined;
  }

  /** saveTask shows the change at once and sends it; on refusal it reloads the truth and
   * throws. */
  async saveTask(id: ID, change: TaskInput): Promise<Task> {
    const i = this.tasks.findIndex((t) => t.id === id);
    // A new description drops the old rendering and hash until the answer brings them.
    const stale = change.description !== undefined
      ? { description_html: undefined, description_hash: undefined } : {};
    const { base_description_hash: _, ...shown } = change;
    if (i >= 0) this.tasks[i] = { ...this.tasks[i], ...(shown as Partial<Task>), ...stale };
    try {
      const saved = await this.#writes.run(taskKey(id), () => api.updateTask(id, change));
      // A later write of this task is still on its way, and shows the user's newer intent.
      if (!this.#writes.busy(taskKey(id))) this.replaceTask(saved);
      return saved;
    } catch (err) {
      await this.load();
      throw err;
    }
  }

  /** updateTask is saveTask that reports a refusal itself. */
  async updateTask(id: ID, change: TaskInput): Promise<Task | null> {
    try {
      return await this.saveTask(id, change);
    } catch (err) {
      failed(err);
      return null;
    }
  }

  replaceTask(task: Task): void {
    const i = this.tasks.findIndex((t) => t.id === task.id);
    if (i >= 0) this.tasks[i] = task;
    else this.tasks.push(task);
  }

  async createTask(input: TaskInput & { title: string }): Promise<Task | null> {
    try {
      const task = await api.createTask(this.id, input);
      this.#writes.touch(taskKey(task.id));
      this.replaceTask(task);
      return task;
    } catch (err) {
      failed(err);
      return null;
    }
  }

  async deleteTask(id: ID): Promise<boolean> {
    try {
      await this.#writes.run(taskKey(id), () => api.deleteTask(id));
      this.tasks = this.tasks.filter((t) => t.id !== id);
      return true;
    } catch (err) {
      failed(err);
      return false;
    }
  }

  /** moveTask puts a task at position index of list (what the user sees), optionally
   * moving it to another status or milestone as well. */
  async moveTask(id: string, list: Task[], index: number, extra: TaskInput = {}): Promise<void> {
    const changes = placeAt(list, id, index);
    const writes: Promise<unknown>[] = [];
    for (const [taskID, order] of changes) {
      const change: TaskInput = taskID === id ? { ...extra, order } : { order };
      writes.push(this.updateTask(taskID, change));
    }
    if (!changes.has(id) && Object.keys(extra).length > 0) writes.push(this.updateTask(id, extra));
    await Promise.all(writes);
  }

  /** saveMilestone shows the change at once and sends it; on refusal it reloads the truth
   * and throws. */
  async saveMilestone(id: ID, change: MilestoneInput): Promise<Milestone> {
    const i = this.milestones.findIndex((m) => m.id === id);
    if (i >= 0) this.milestones[i] = { ...this.milestones[i], ...change };
    try {
      const saved = await this.#writes.run(milestoneKey(id), () => api.updateMilestone(id, change));
      if (!this.#writes.busy(milestoneKey(id))) this.#putMilestone(saved);
      return saved;
    } catch (err) {
      await this.load();
      throw err;
    }
  }

  /** updateMilestone is saveMilestone that reports a refusal itself. */
  async updateMilestone(id: ID, change: MilestoneInput): Promise<boolean> {
    try {
      await this.saveMilestone(id, change);
      return true;
    } catch (err) {
      failed(err);
      return false;
    }
  }

  async createMilestone(input: MilestoneInput & { title: string }): Promise<Milestone> {
    const created = await api.createMilestone(this.id, input);
    this.#writes.touch(milestoneKey(created.id));
    this.#putMilestone(created);
    return created;
  }

  /** deleteMilestone deletes it, then reloads: its tasks are now outside any milestone. */
  async deleteMilestone(id: ID): Promise<void> {
    await this.#writes.run(milestoneKey(id), () => api.deleteMilestone(id));
    this.milestones = this.milestones.filter((m) => m.id !== id);
    await this.load();
  }

  #putMilestone(m: Milestone): void {
    const i = this.milestones.findIndex((x) => x.id === m.id);
    if (i >= 0) this.milestones[i] = m;
    else this.milestones.push(m);
  }

  /** saveProject shows change at once and stores what send answers; on refusal it reloads
   * the truth and throws. */
  async saveProject(change: Partial<Project>, send: () => Promise<Project>): Promise<Project> {
    const stale = change.description !== undefined ? { description_html: undefined } : {};
    if (this.project) this.project = { ...this.project, ...change, ...stale };
    try {
      const saved = await this.#writes.run(projectKey, send);
      if (!this.#writes.busy(projectKey)) this.project = saved;
      return saved;
    } catch (err) {
      await this.load();
      throw err;
    }
  }

  async moveMilestone(id: string, index: number): Promise<void> {
    const changes = placeAt(this.sortedMilestones, id, index);
    await Promise.all([...changes].map(([mID, order]) => this.updateMilestone(mID, { order })));
  }
}

const key = Symbol("project");

export function provideProject(data: ProjectData): void {
  setContext(key, data);
}

export function useProject(): ProjectData {
  return getContext<ProjectData>(key);
}
