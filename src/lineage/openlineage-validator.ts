import { createRequire } from 'node:module';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InvalidParam } from '../common/problem.js';
import { invalidParams } from '../http/problem.mapper.js';
import type { EventKind } from './lineage-event.entity.js';
import { CORE_ID, loadSchemas, type OpenLineageSchemas } from './openlineage-schemas.js';

/**
 * RFC 3339 date-time with two leniencies real producers need: the offset may be missing (read as UTC) or
 * written without a colon, and the fraction may have any number of digits (nanoseconds). Groups: year,
 * month, day, hour, minute, second, fraction, offset.
 */
export const LENIENT_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLenientDateTime(value: string): boolean {
  const m = LENIENT_DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && !leap ? 28 : DAYS[month - 1];
  const offset = m[8]?.length > 1 ? m[8].replace(':', '') : '+0000';
  const offsetOk = Number(offset.slice(1, 3)) <= 23 && (offset.length === 3 || Number(offset.slice(3, 5)) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 60 && offsetOk;
}

/**
 * Which of the three event types a body means to be: a RunEvent has run and job, a JobEvent job without
 * run, a DatasetEvent dataset. Mirrors the schema's oneOf, so that errors can be reported against the one
 * the producer meant instead of all three.
 */
export function kindOf(event: Record<string, unknown>): EventKind | undefined {
  if ('job' in event) return 'run' in event ? 'run' : 'job';
  if ('dataset' in event) return 'dataset';
  return 'run' in event ? 'run' : undefined;
}

const BRANCH: Record<EventKind, string> = { run: 'RunEvent', job: 'JobEvent', dataset: 'DatasetEvent' };
// Combinators report "must match a schema in anyOf" beside the finding inside them that says what is wrong.
const NOISE = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);

function toParams(errors: ErrorObject[]): InvalidParam[] {
  const useful = errors.some((e) => !NOISE.has(e.keyword)) ? errors.filter((e) => !NOISE.has(e.keyword)) : errors;
  const params = invalidParams(Object.assign(new Error('invalid'), { validation: useful, validationContext: 'body' }));
  const seen = new Set<string>();
  return params.filter((p) => !seen.has(`${p.pointer} ${p.detail}`) && Boolean(seen.add(`${p.pointer} ${p.detail}`)));
}

function compile(schemas: OpenLineageSchemas, allErrors: boolean): Ajv2020 {
  // strict: false: the spec uses `example` and other annotations that are not JSON Schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors });
  // Older facet schemas declare draft-07: they are checked against its meta-schema, then read as 2020-12.
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as AnySchemaObject);
  addFormats.default(ajv, { mode: 'full', formats: ['uuid', 'uri'] });
  ajv.addFormat('date-time', isLenientDateTime);
  ajv.addSchema(schemas.core);
  for (const facet of schemas.facets) ajv.addSchema(facet);
  return ajv;
}

/**
 * The OpenLineage 2-0-2 schema and the facet schemas we ship, compiled twice: a validator that stops at the
 * first fault for the usual case, a valid event, and one that collects every fault to report them. Each
 * is compiled when first needed, not at start-up: together they are most of the CPU a start costs
 * (docs/benchmarks.md, cold-start), which deployments that never receive OpenLineage should not pay. The
 * first event after a start waits for the first (about 0.3 s), the first invalid one for the second.
 */
export class OpenLineageValidator {
  private schemas?: OpenLineageSchemas;
  private any?: ValidateFunction;
  private branches?: Record<EventKind, ValidateFunction>;

  constructor(schemas?: OpenLineageSchemas) {
    this.schemas = schemas;
  }

  private firstFault(): ValidateFunction {
    return (this.any ??= compile(this.loaded(), false).compile({ $ref: CORE_ID }));
  }

  private everyFault(kind: EventKind): ValidateFunction {
    if (!this.branches) {
      const reporting = compile(this.loaded(), true);
      const branch = (name: string) => reporting.compile({ $ref: `${CORE_ID}#/$defs/${name}` });
      this.branches = { run: branch(BRANCH.run), job: branch(BRANCH.job), dataset: branch(BRANCH.dataset) };
    }
    return this.branches[kind];
  }

  private loaded(): OpenLineageSchemas {
    return (this.schemas ??= loadSchemas());
  }

  /** What is wrong with `event`, as JSON pointers into it; empty when it is a valid event. */
  validate(event: unknown): InvalidParam[] {
    if (this.firstFault()(event)) return [];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return [{ in: 'body', pointer: '/', detail: 'must be an OpenLineage event (a JSON object)' }];
    }
    const kind = kindOf(event as Record<string, unknown>);
    if (kind === undefined) {
      return [{ in: 'body', pointer: '/', detail: 'is not an OpenLineage event: a RunEvent has run and job, a JobEvent job, a DatasetEvent dataset' }];
    }
    const branch = this.everyFault(kind);
    if (branch(event)) return [{ in: 'body', pointer: '/', detail: `matches more than one of RunEvent, JobEvent and DatasetEvent` }];
    return toParams(branch.errors ?? []);
  }
}
