import { InvalidRequestError } from '../common/invalid-request.error.js';
import { isDataKind, type MonitorKind } from '../incidents/incident-signal.js';
import { datasetIdentity } from '../lineage/dataset-identity.js';
import { invalid } from './param-rules.js';

/** What a monitor watches: a pipeline (run kinds always), or for the data kinds a pipeline, a dataset or a column. */
export interface MonitorTarget {
  pipeline_name: string | null;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column: string | null;
}

export interface TargetInput {
  pipeline_name?: string;
  dataset_namespace?: string;
  dataset_name?: string;
  column?: string;
}

/**
 * The target of a monitor as given, checked for its kind (400 naming the field): run kinds need pipeline_name
 * and take no dataset; data kinds need pipeline_name or a dataset (dataset_namespace and dataset_name
 * together); a column needs its dataset. The dataset is normalised as the metrics store it (datasetIdentity).
 */
export function normaliseTarget(kind: MonitorKind, body: TargetInput, base = ''): MonitorTarget {
  const at = { base };
  const hasDataset = body.dataset_namespace !== undefined || body.dataset_name !== undefined;
  if (!isDataKind(kind)) {
    if (body.pipeline_name === undefined) invalid(at, '/pipeline_name', `is required for a ${kind} monitor`);
    for (const field of ['dataset_namespace', 'dataset_name', 'column'] as const) {
      if (body[field] !== undefined) invalid(at, `/${field}`, `is not a target of a ${kind} monitor: it watches a pipeline's runs`);
    }
    return { pipeline_name: body.pipeline_name, dataset_namespace: null, dataset_name: null, column: null };
  }
  if (hasDataset && body.dataset_namespace === undefined) invalid(at, '/dataset_namespace', 'is required with dataset_name');
  if (hasDataset && body.dataset_name === undefined) invalid(at, '/dataset_name', 'is required with dataset_namespace');
  if (body.column !== undefined && !hasDataset) invalid(at, '/dataset_name', 'is required with column: a column belongs to a dataset');
  if (!hasDataset && body.pipeline_name === undefined) invalid(at, '/pipeline_name', 'is required unless a dataset is given (dataset_namespace and dataset_name)');
  const dataset = hasDataset ? datasetIdentity(body.dataset_namespace as string, body.dataset_name as string) : null;
  return {
    pipeline_name: body.pipeline_name ?? null,
    dataset_namespace: dataset?.namespace ?? null,
    dataset_name: dataset?.name ?? null,
    column: body.column?.trim() ?? null,
  };
}


/** The dataset filter of GET /v1/monitors: both fields or neither (400 naming the missing one). */
export function datasetFilter(query: { dataset_namespace?: string; dataset_name?: string }): { namespace: string; name: string } | undefined {
  if (query.dataset_namespace === undefined && query.dataset_name === undefined) return undefined;
  const missing = query.dataset_namespace === undefined ? 'dataset_namespace' : query.dataset_name === undefined ? 'dataset_name' : null;
  if (missing) throw new InvalidRequestError({ in: 'query', pointer: `/${missing}`, detail: 'dataset_namespace and dataset_name go together' });
  return datasetIdentity(query.dataset_namespace as string, query.dataset_name as string);
}

/** A target as a person reads it: `pipeline "p"`, `dataset ns/name`, `column ns/name.col`. */
export function describeTarget(t: MonitorTarget): string {
  const dataset = t.dataset_name === null ? null : `${t.dataset_namespace}/${t.dataset_name}${t.column === null ? '' : ` column ${t.column}`}`;
  const pipeline = t.pipeline_name === null ? null : `pipeline ${JSON.stringify(t.pipeline_name)}`;
  return [pipeline, dataset && `dataset ${dataset}`].filter(Boolean).join(', ');
}
