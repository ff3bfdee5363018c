import { sameJson } from '../common/json.js';
import type { MonitorResponse } from './dto/monitor.dto.js';
import type { MonitorSpec } from './monitors.service.js';
import { describeTarget } from './monitor-target.js';

/** One change `monitors apply` makes to bring the service's monitors to a file's. */
export type PlannedChange =
  | { op: 'create'; spec: MonitorSpec; index: number }
  | { op: 'update'; id: string; spec: MonitorSpec; index: number; fields: (typeof CHANGEABLE)[number][] }
  | { op: 'disable'; monitor: MonitorResponse }
  /** Not a change: an enabled monitor no item matched that apply does not own (made through the API with a key). */
  | { op: 'keep'; monitor: MonitorResponse };

/** The entries of a plan that change something: what is counted, written, and makes --dry-run exit 2. */
export const changesOf = (plan: readonly PlannedChange[]) => plan.filter((c): c is Exclude<PlannedChange, { op: 'keep' }> => c.op !== 'keep');

/** What a monitor is, for matching, comparing and printing: the API's response and a file's item alike. */
type Shape = Pick<MonitorSpec, 'name' | 'pipeline_name' | 'dataset_namespace' | 'dataset_name' | 'column' | 'kind' | 'severity' | 'resolve_after'> & { params: object };

const sameTarget = (a: Shape, b: Shape) =>
  a.pipeline_name === b.pipeline_name && a.dataset_namespace === b.dataset_namespace && a.dataset_name === b.dataset_name && a.column === b.column;
const sameIdentity = (a: Shape, b: Shape) => sameTarget(a, b) && a.kind === b.kind && sameJson(a.params, b.params);
const CHANGEABLE = ['severity', 'resolve_after', 'params', 'name'] as const;

/**
 * The changes that make `current` (the enabled monitors) match `desired` (a file's, validated and canonical).
 * A file item is the monitor with its `name` when it has one, else an enabled unnamed monitor with the same
 * (pipeline_name, kind, params). A named item whose pipeline or kind differs replaces its monitor (disable +
 * create), since kind and pipeline cannot change in place. Monitors no item matched are disabled only when
 * apply owns them: created without an API key (by apply or the seeder). Monitors made through the API with
 * a key are never disabled by apply, though a file item may match and update them.
 */
export function planApply(current: readonly MonitorResponse[], desired: readonly MonitorSpec[], ownedIds: ReadonlySet<string>): PlannedChange[] {
  const unmatched = new Map(current.map((m) => [m.id, m]));
  const changes: PlannedChange[] = [];
  desired.forEach((spec, index) => {
    const match = spec.name !== null
      ? [...unmatched.values()].find((m) => m.name === spec.name)
      : [...unmatched.values()].find((m) => m.name === null && sameIdentity(m, spec));
    if (match) unmatched.delete(match.id);
    if (match && (!sameTarget(match, spec) || match.kind !== spec.kind)) {
      changes.push({ op: 'disable', monitor: match }, { op: 'create', spec, index });
      return;
    }
    if (!match) {
      changes.push({ op: 'create', spec, index });
      return;
    }
    const fields = CHANGEABLE.filter((f) => !sameJson(match[f], spec[f]));
    if (fields.length > 0) changes.push({ op: 'update', id: match.id, spec, index, fields });
  });
  for (const m of unmatched.values()) changes.push({ op: ownedIds.has(m.id) ? 'disable' : 'keep', monitor: m });
  // Disables first, so a name a file moves to a new monitor is free when that monitor is created; keeps last.
  // (sort is stable: creates and updates stay in the file's order)
  const rank = (c: PlannedChange) => (c.op === 'disable' ? 0 : c.op === 'keep' ? 2 : 1);
  return changes.sort((a, b) => rank(a) - rank(b));
}

const describe = (m: Shape) =>
  `${m.name === null ? '' : `${JSON.stringify(m.name)} `}${m.kind} on ${m.dataset_name ? describeTarget(m) : JSON.stringify(m.pipeline_name)} ${JSON.stringify(m.params)} ${m.severity}`;

/** The change as `apply` prints it: + created, ~ updated (which fields), - disabled. */
export function describeChange(change: PlannedChange): string {
  switch (change.op) {
    case 'create':
      return `+ create monitors[${change.index}]: ${describe(change.spec)}`;
    case 'update':
      return `~ update ${change.id} (monitors[${change.index}]): ${change.fields.map((f) => `${f} → ${JSON.stringify(change.spec[f])}`).join(', ')}`;
    case 'disable':
      return `- disable ${change.monitor.id}: ${describe(change.monitor)}`;
    case 'keep':
      return `= keep ${change.monitor.id}: ${describe(change.monitor)}: kept (created through the API)`;
  }
}
