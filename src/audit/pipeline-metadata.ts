import { formatIsoDuration, requireIsoDuration } from '../common/iso-duration.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { parseCronSchedule } from '../common/schedule.js';
import type { PutPipelineDto } from './dto/pipeline-metadata.js';
import type { PipelineMetadata } from './pipeline-registry.sql.js';

/** Only links a browser opens safely: http and https. */
function assertHttpUrl(url: string, pointer: string): void {
  let parsed: URL | null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidRequestError({ in: 'body', pointer, detail: 'must be an absolute http or https URL' });
  }
}

/**
 * The metadata a PUT stores, checked beyond the schema (cron, time zone, duration, URLs), or an
 * InvalidRequestError naming the field, before anything is written. A field left out is cleared.
 */
export function metadataOf(name: string, body: PutPipelineDto): PipelineMetadata {
  const links = body.links ?? [];
  links.forEach((link, i) => assertHttpUrl(link.url, `/links/${i}/url`));
  const schedule = body.schedule ?? null;
  let cron: string | null = null;
  let timezone: string | null = null;
  let everyMs: number | null = null;
  if (schedule && 'cron' in schedule) {
    parseCronSchedule(schedule.cron, schedule.timezone, { cron: '/schedule/cron', timezone: '/schedule/timezone' });
    ({ cron, timezone } = schedule);
  } else if (schedule) {
    everyMs = requireIsoDuration(schedule.every, '/schedule/every');
  }
  return {
    name,
    description: body.description ?? null,
    owner: body.owner ?? null,
    team: body.team ?? null,
    tags: body.tags ?? [],
    links: JSON.stringify(links),
    cron,
    timezone,
    everyMs,
    archived: body.archived ?? false,
  };
}

/** The schedule as the API shows it: the cron and its zone, or `every` in canonical ISO 8601. */
export function scheduleOf(row: { schedule_cron: string | null; schedule_timezone: string | null; schedule_every_ms: number | null }) {
  if (row.schedule_cron !== null) return { cron: row.schedule_cron, timezone: row.schedule_timezone ?? 'UTC' };
  if (row.schedule_every_ms !== null) return { every: formatIsoDuration(row.schedule_every_ms) };
  return null;
}
