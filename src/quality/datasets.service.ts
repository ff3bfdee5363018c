import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { datasetIdentity, datasetNamespace } from '../lineage/dataset-identity.js';
import { datasetListing, type DatasetListShape, type DatasetListValues, type DatasetRow } from './datasets.sql.js';
import type { DatasetEntry, DatasetResponse, ListDatasetsQuery, LatestPoint } from './dto/datasets.query.js';
import { DatasetNotFoundError } from './quality.errors.js';

export interface DatasetPage {
  data: DatasetResponse[];
  next_cursor: string | null;
}

/** A namespace or name a cursor may carry: text PostgreSQL can hold. */
export const cursorText = (v: string) => v.length > 0 && !v.includes('\u0000');

/** A name prefix as a LIKE pattern: \, % and _ match themselves. */
const prefixPattern = (q: string) => `${q.replace(/[\\%_]/g, '\\$&')}%`;

/** The latest points as the API groups them: the dataset's own, then per column. */
function toResponse(row: DatasetRow): DatasetResponse {
  const metrics: LatestPoint[] = [];
  const columns = new Map<string, LatestPoint[]>();
  for (const { column, ...point } of row.latest as DatasetEntry[]) {
    if (column === null) metrics.push(point);
    else columns.set(column, [...(columns.get(column) ?? []), point]);
  }
  return {
    dataset_namespace: row.dataset_namespace,
    dataset_name: row.dataset_name,
    pipelines: row.pipelines,
    first_recorded_at: row.first_recorded_at,
    last_recorded_at: row.last_recorded_at,
    metrics,
    columns: [...columns].map(([column, points]) => ({ column, metrics: points })),
    column_count: row.column_count ?? 0,
    open_incidents: row.open_incidents ?? 0,
  };
}

const NONE: DatasetListValues = { namespace: '', name: '', pattern: '', pipeline: '', afterNamespace: '', afterName: '', fetch: 1 };

/** Datasets as the metrics name them (the series catalog), with their latest metrics and open incidents. */
@Injectable()
export class DatasetsService {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  async list(query: ListDatasetsQuery): Promise<DatasetPage> {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, { s: cursorText, n: cursorText }) : undefined;
    // A namespace filter is normalised as the metrics' namespaces are (the name is a prefix: left as given).
    const namespace = query.namespace === undefined ? '' : datasetNamespace(query.namespace);
    const shape: DatasetListShape = { one: false, namespace: query.namespace !== undefined, q: query.q !== undefined, pipeline: query.pipeline_name !== undefined, after: after !== undefined };
    const values = { ...NONE, namespace, pattern: prefixPattern(query.q ?? ''), pipeline: query.pipeline_name ?? '', afterNamespace: after?.s ?? '', afterName: after?.n ?? '', fetch: limit + 1 };
    const rows = await datasetListing(shape).run(this.em, values);
    const data = rows.slice(0, limit).map(toResponse);
    const last = data[data.length - 1];
    return { data, next_cursor: rows.length > limit ? encodeCursor({ s: last.dataset_namespace, n: last.dataset_name }) : null };
  }

  async get(namespace: string, name: string): Promise<DatasetResponse> {
    const dataset = datasetIdentity(namespace, name);
    const shape: DatasetListShape = { one: true, namespace: false, q: false, pipeline: false, after: false };
    const [row] = await datasetListing(shape).run(this.em, { ...NONE, namespace: dataset.namespace, name: dataset.name });
    if (!row) throw new DatasetNotFoundError(dataset.namespace, dataset.name);
    return toResponse(row);
  }
}
