/**
 * What the run facets say about a run's place in its schedule and its retries (docs/openlineage.md):
 * - `nominalTime`: the scheduled time the run stands for, which freshness measures coverage by: its
 *   `nominalEndTime` when given, else `nominalStartTime`. Airflow sends the data interval there, and its
 *   06:00 daily run has the interval (yesterday 06:00, today 06:00): it covers today's 06:00 deadline, so the
 *   end is what counts (a backfill's or a late run's logical date likewise);
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

const instant = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

function nominalTimeOf(facets: Facets): string | null {
  return instant(facets?.nominalTime?.nominalEndTime) ?? instant(facets?.nominalTime?.nominalStartTime);
}

export function runScheduleOf(facets: Facets): RunSchedule {
  const airflow = facets?.airflow as { taskInstance?: Record<string, unknown>; task?: Record<string, unknown> } | undefined;
  const attempt = count(airflow?.taskInstance?.try_number, 1) ?? 1;
  const retries = count(airflow?.task?.retries, 0) ?? count(airflow?.taskInstance?.max_tries, 0);
  const maxAttempts = retries === null ? null : retries + 1;
  const usable = maxAttempts !== null && maxAttempts >= attempt && maxAttempts <= MAX_ATTEMPTS_LIMIT;
  return { nominalTime: nominalTimeOf(facets), attempt, maxAttempts: usable ? maxAttempts : null };
}
