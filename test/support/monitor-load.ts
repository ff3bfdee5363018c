/**
 * A monitor load at `now` for the tick's query plans (test/e2e/monitors) and its benchmark
 * (bench/monitors.ts): `pipelines` pipelines running daily at their own UTC hour for `days` days (one run
 * each day: `pipelines × days` runs), the newest run of one pipeline in twenty still running (with a
 * progress event for half of those), and five monitors per pipeline: max_age, cron (one in a hundred due),
 * auto, duration (max_duration or factor × p95 of 20) and stalled, alternating as the kinds need.
 */
export function monitorLoadSql(now: string, pipelines: number, days: number): string[] {
  const at = `'${new Date(now).toISOString()}'::timestamptz`;
  return [
    `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at)
     select gen_random_uuid(), 'p_' || p, s.status, s.started_at,
            case when s.status = 'running' then null else s.started_at + make_interval(mins => 5 + (p % 50)) end
     from generate_series(0, ${pipelines - 1}) p
     cross join generate_series(0, ${days - 1}) d
     cross join lateral (
       select date_trunc('day', ${at}) - make_interval(days => d) + make_interval(hours => p % 24) - interval '1 day' as started_at,
              case when d = 0 and p % 20 = 0 then 'running' when (p + d) % 17 = 0 then 'failed' else 'succeeded' end as status
     ) s`,
    `insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
     select gen_random_uuid(), execution_id, 'create', started_at, '{}'::jsonb from pipeline_executions
     union all
     select gen_random_uuid(), execution_id, 'progress', started_at + interval '1 minute', '{}'::jsonb
     from pipeline_executions where status = 'running' and hashtext(execution_id::text) % 2 = 0`,
    `insert into monitors (id, pipeline_name, kind, severity, params, deadline_occurrence, next_deadline_at, created_at)
     select gen_random_uuid(), 'p_' || p, k.kind, 'critical', k.params, k.occurrence, k.occurrence + interval '15 minutes', ${at} - interval '60 days'
     from generate_series(0, ${pipelines - 1}) p
     cross join lateral (values
       ('freshness', '{"max_age": "PT26H"}'::jsonb, null::timestamptz),
       ('freshness', '{"cron": "0 6 * * *", "timezone": "Europe/Berlin", "grace": "PT15M"}'::jsonb,
        case when p % 100 = 0 then ${at} - interval '1 hour' else ${at} + make_interval(mins => 1 + p % 1000) end),
       ('freshness', '{"auto": true}'::jsonb, null),
       ('duration', case when p % 2 = 0 then '{"max_duration": "PT2H"}'::jsonb else '{"factor": 2, "runs": 20}'::jsonb end, null),
       ('stalled', '{"stall_after": "PT30M"}'::jsonb, null)
     ) as k(kind, params, occurrence)`,
    'analyze pipeline_executions, pipeline_execution_events, monitors',
  ];
}
