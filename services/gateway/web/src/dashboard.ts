// Which dashboard part comes from which service: GET /api/dashboard leaves a part null and names its
// service in `degraded` when that service did not answer. Pure.
import type { Dashboard } from './api/types.ts';

export const PART_SERVICES = {
  tasks: 'task-service',
  upcomingReminders: 'task-service',
  recentNotifications: 'notification-service',
  insights: 'insights-service',
} as const;

export type Part = keyof typeof PART_SERVICES;

/** The parts that are missing, each with the service to blame: `{ insights: 'insights-service' }`. */
export function degradedParts(d: Pick<Dashboard, Part | 'degraded'>): Partial<Record<Part, string>> {
  const missing: Partial<Record<Part, string>> = {};
  for (const part of Object.keys(PART_SERVICES) as Part[]) {
    if (d[part] === null) missing[part] = d.degraded.find((s) => s === PART_SERVICES[part]) ?? PART_SERVICES[part];
  }
  return missing;
}
