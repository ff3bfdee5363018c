import { readFile } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { EXIT } from '../common/error-codes.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';
import { runQuery } from '../database/typed-sql.js';
import { buildAjv } from '../http/validation.js';
import { CreateMonitorDto } from './dto/monitor.dto.js';
import { changesOf, describeChange, planApply, type PlannedChange } from './monitors-plan.js';
import { normaliseMonitor, type MonitorSpec, type MonitorsService } from './monitors.service.js';
import { enabledMonitorsWithOwner, lockMonitorsApply } from './monitors.sql.js';

export interface ApplyArgs {
  file: string;
  dryRun: boolean;
}

const validateItem = buildAjv({ coerceTypes: false }).compile<CreateMonitorDto>(CreateMonitorDto);

/** A file that is not a valid monitors file: the message names the item and field (`monitors[2].params.max_age`). */
export class MonitorsFileError extends Error {}

/** `/monitors/2/params/max_age` as a person reads it: `monitors[2].params.max_age`. */
const readable = (pointer: string) => pointer.replace(/^\/monitors\/(\d+)/, 'monitors[$1]').replace(/\//g, '.');

function fileError(file: string, problems: readonly InvalidParam[]): MonitorsFileError {
  return new MonitorsFileError(`${file} is not a valid monitors file:\n${problems.map((p) => `  ${readable(p.pointer)}: ${p.detail}`).join('\n')}`);
}

const fromAjv = (base: string, errors: readonly ErrorObject[]): InvalidParam[] =>
  errors.map((e) => {
    const extra = e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : '';
    const missing = e.keyword === 'required' ? `/${String((e.params as { missingProperty: string }).missingProperty)}` : '';
    return { in: 'body', pointer: `${base}${e.instancePath}${extra}${missing}`, detail: extra ? 'is not a field of a monitor' : (e.message ?? 'is invalid') };
  });

/** Reads and validates a monitors file with the API's rules; every item's errors are reported at once. */
export async function readMonitorsFile(file: string): Promise<MonitorSpec[]> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MonitorsFileError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = (doc as { monitors?: unknown } | null)?.monitors;
  if (!Array.isArray(list)) throw fileError(file, [{ in: 'body', pointer: '/monitors', detail: 'must be a list of monitors (the objects POST /v1/monitors takes)' }]);
  const problems: InvalidParam[] = [];
  const specs = list.flatMap((item: unknown, i) => {
    const base = `/monitors/${i}`;
    if (!validateItem(item)) {
      problems.push(...fromAjv(base, validateItem.errors ?? []));
      return [];
    }
    try {
      return [normaliseMonitor(item, base)];
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      problems.push(...(error.extensions.errors as InvalidParam[]));
      return [];
    }
  });
  const names = specs.map((s) => s.name).filter((n) => n !== null);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) problems.push({ in: 'body', pointer: `/monitors/${list.findLastIndex((m: { name?: string }) => m?.name === repeated)}/name`, detail: `repeats the name ${JSON.stringify(repeated)}` });
  if (problems.length > 0) throw fileError(file, problems);
  return specs;
}

/**
 * `monitors apply -f FILE [--dry-run]`: makes the enabled monitors match the file (planApply says how),
 * in one transaction. Prints each change; with --dry-run changes nothing and exits 2 when there is a
 * difference, 0 when none.
 */
export async function runMonitorsApply(args: ApplyArgs, monitors: MonitorsService, em: EntityManager, print: (line: string) => void): Promise<number> {
  let desired: MonitorSpec[];
  try {
    desired = await readMonitorsFile(args.file);
  } catch (error) {
    if (!(error instanceof MonitorsFileError)) throw error;
    console.error(error.message);
    return EXIT.failed;
  }
  try {
    return await em.fork().transactional(async (tx) => {
      await runQuery(tx, lockMonitorsApply());
      const current = await runQuery(tx, enabledMonitorsWithOwner());
      const owned = new Set(current.filter((m) => m.created_by_key === null).map((m) => m.id));
      const plan = planApply(current.map(({ created_by_key: _, ...m }) => m), desired, owned);
      const changes = changesOf(plan);
      for (const change of changes) {
        if (!watchesAnew(change)) continue;
        await monitors.checkStalledAllowed(change.spec, `/monitors/${change.index}`, tx);
        await monitors.checkMetricReported(change.spec, `/monitors/${change.index}`, tx);
      }
      plan.forEach((change) => print(describeChange(change)));
      if (args.dryRun) {
        print(changes.length === 0 ? 'no changes' : `${changes.length} change(s); nothing written (--dry-run)`);
        return changes.length === 0 ? EXIT.ok : EXIT.usage;
      }
      for (const change of changes) await applyChange(change, monitors, tx);
      print(changes.length === 0 ? 'no changes' : `${changes.length} change(s) applied`);
      return EXIT.ok;
    });
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    console.error(fileError(args.file, error.extensions.errors as InvalidParam[]).message);
    return EXIT.failed;
  }
}

/** A change after which a monitor watches anew (created, or its params changed): stalled and the metric type are checked again. */
const watchesAnew = (change: PlannedChange): change is PlannedChange & { op: 'create' | 'update' } =>
  change.op === 'create' || (change.op === 'update' && change.fields.includes('params'));

async function applyChange(change: Exclude<PlannedChange, { op: 'keep' }>, monitors: MonitorsService, tx: EntityManager): Promise<void> {
  if (change.op === 'disable') await monitors.disable(change.monitor.id, tx);
  else if (change.op === 'create') await monitors.insert(change.spec, null, `/monitors/${change.index}`, tx);
  else {
    const { name, severity, params, resolve_after } = change.spec;
    await monitors.update(change.id, { name, severity, params, resolve_after }, tx);
  }
}
