import { queries, uuid } from '../database/typed-sql.js';

/**
 * accept-baseline: the series' training starts at `from` (the anomalous point) and no point is excluded any
 * more (those before `from` are outside the training anyway; the ones after belong to the new level).
 * Primary key update; no row (the monitor never judged the series) changes nothing.
 */
export const acceptBaseline = (monitorId: string, seriesId: string, from: string) =>
  queries
    .updateTable('monitor_series_state')
    .set({ baseline_from: from, excluded_metric_ids: [] })
    .where('monitor_id', '=', uuid(monitorId))
    .where('series_id', '=', uuid(seriesId))
    .returning(['monitor_id']);
