/**
 * What the run facets say about a run's place in its schedule and its retries (docs/openlineage.md):
 * - `nominalTime.nominalStartTime`: the period the run covers (a backfill's or a late run's logical date);
 * - the Airflow provider's `airflow` run facet: `taskInstance.try_number` is the attempt (1-based, Airflow
 *   2.10+), and `task.retries` (or `taskInstance.max_tries`, which Airflow sets from it) the retries after
 *   the first try, so the attempts it will make are retries + 1.
 * Values of the wrong type or out of range are ignored rather than refused: the event is still recorded.
 */
export interface RunSchedule {
  nominalTime: string | null;
  attempt: number;
  maxAttempts: number | null;
}

type Facets = Record<string, Record<string, unknown> | undefined> | undefined;

/** The most attempts recorded for a run, as POST /v1/executions accepts them. */
export const MAX_ATTEMPTS_LIMIT = 100;

const count = (value: unknown, min: number): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 1000 ? value : null;

function nominalStartOf(facets: Facets): string | null {
  const start = facets?.nominalTime?.nominalStartTime;
  if (typeof start !== 'string') return null;
  const ms = Date.parse(start);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function runScheduleOf(facets: Facets): RunSchedule {
  const airflow = facets?.airflow as { taskInstance?: Record<string, unknown>; task?: Record<string, unknown> } | undefined;
  const attempt = count(airflow?.taskInstance?.try_number, 1) ?? 1;
  const retries = count(airflow?.task?.retries, 0) ?? count(airflow?.taskInstance?.max_tries, 0);
  const maxAttempts = retries === null ? null : retries + 1;
  const usable = maxAttempts !== null && maxAttempts >= attempt && maxAttempts <= MAX_ATTEMPTS_LIMIT;
  return { nominalTime: nominalStartOf(facets), attempt, maxAttempts: usable ? maxAttempts : null };
}
