// Names for the people that records point at: staff members and client accounts. Kept
// fresh by the live stream (staff.* and client.* entries).

import { api } from "./api";
import type { Actor, ClientAccount, Staff } from "./types";

export const people = $state<{ staff: Staff[]; clients: ClientAccount[] }>({ staff: [], clients: [] });

export async function loadPeople(): Promise<void> {
  const [staff, clients] = await Promise.all([api.staff(), api.clients()]);
  people.staff = staff;
  people.clients = clients;
}

export function staffName(id: string): string {
  const s = people.staff.find((p) => p.id === id);
  return s ? s.name || s.email : "A staff member";
}

export function clientName(id: string): string {
  const c = people.clients.find((p) => p.id === id);
  return c ? c.name || c.email : "A client";
}

export function actorName(actor: Actor | undefined): string {
  if (!actor || !actor.id) return "Nobody";
  if (actor.kind === "staff") return staffName(actor.id);
  if (actor.kind === "client") return clientName(actor.id);
  return "Portico";
}

export function initials(name: string): string {
  const words = name.replace(/@.*/, "").split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}
