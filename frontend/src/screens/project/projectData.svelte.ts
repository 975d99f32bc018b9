// One project's records while its screen is open: the project, its milestones, tasks and
// clients. The list, the board, the task drawer and the Share dialog all read and change
// them through this object, so a change shows everywhere at once.

import { getContext, setContext } from "svelte";
import { api } from "../../lib/api";
import { byOrder, placeAt } from "../../lib/order";
import { failed } from "../../lib/toasts.svelte";
import type { Member, Milestone, MilestoneInput, Project, Task, TaskInput } from "../../lib/types";

export class ProjectData {
  readonly id: string;
  project = $state<Project | null>(null);
  milestones = $state<Milestone[]>([]);
  tasks = $state<Task[]>([]);
  members = $state<Member[]>([]);
  missing = $state(false);
  loaded = $state(false);

  sortedMilestones = $derived([...this.milestones].sort(byOrder));
  sortedTasks = $derived([...this.tasks].sort(byOrder));

  constructor(id: string) {
    this.id = id;
  }

  async load(): Promise<void> {
    try {
      const [project, milestones, tasks, members] = await Promise.all([
        api.project(this.id),
        api.milestones(this.id),
        api.tasks(this.id),
        api.members(this.id),
      ]);
      this.project = project;
      this.milestones = milestones;
      this.tasks = tasks;
      this.members = members;
      this.missing = false;
    } catch (err) {
      if ((err as { status?: number }).status === 404) this.missing = true;
      else failed(err);
    } finally {
      this.loaded = true;
    }
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

  /** updateTask shows the change at once and sends it; on refusal it reloads the truth. */
  async updateTask(id: string, change: TaskInput): Promise<Task | null> {
    const i = this.tasks.findIndex((t) => t.id === id);
    if (i >= 0) this.tasks[i] = { ...this.tasks[i], ...(change as Partial<Task>) };
    try {
      const saved = await api.updateTask(id, change);
      this.replaceTask(saved);
      return saved;
    } catch (err) {
      failed(err);
      await this.load();
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
      this.replaceTask(task);
      return task;
    } catch (err) {
      failed(err);
      return null;
    }
  }

  async deleteTask(id: string): Promise<boolean> {
    try {
      await api.deleteTask(id);
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

  async updateMilestone(id: string, change: MilestoneInput): Promise<boolean> {
    const i = this.milestones.findIndex((m) => m.id === id);
    if (i >= 0) this.milestones[i] = { ...this.milestones[i], ...change };
    try {
      const saved = await api.updateMilestone(id, change);
      const j = this.milestones.findIndex((m) => m.id === id);
      if (j >= 0) this.milestones[j] = saved;
      return true;
    } catch (err) {
      failed(err);
      await this.load();
      return false;
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
