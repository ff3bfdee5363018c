// What a trend query (latest, series, anomalies) is about: a pipeline's own series, or a dataset's, or one
// column's. Pure: the query parameters in, the statement's shape and values out, or a 400 naming the field.
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';
import { datasetIdentity } from '../lineage/dataset-identity.js';

/** The query parameters that name the subject. */
export interface SubjectParams {
  pipeline_name?: string;
  dataset_namespace?: string;
  dataset_name?: string;
  column?: string;
}

/**
 * Which series a statement reads, as flags (a statement's shape, see preparedShapes): without `dataset`, the
 * pipeline's own series (metrics that name no dataset); with it, the dataset's series (`column`: one
 * column's, else the dataset-level ones, which name no column) from every pipeline, or from one (`pipeline`).
 */
export interface SubjectShape {
  dataset: boolean;
  column: boolean;
  pipeline: boolean;
}

/** The values a subject binds; the shape says which of them the statement reads. */
export interface SubjectValues {
  pipeline: string;
  namespace: string;
  name: string;
  column: string;
}

/** The subject as every trend response repeats it, normalised as stored. */
export interface SubjectEcho {
  pipeline_name: string | null;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column: string | null;
}

export interface Subject {
  shape: SubjectShape;
  values: SubjectValues;
  echo: SubjectEcho;
}

const problem = (pointer: string, detail: string): InvalidParam => ({ in: 'query', pointer, detail });

function problems(q: SubjectParams): InvalidParam[] {
  const errors: InvalidParam[] = [];
  const namespace = q.dataset_namespace !== undefined;
  const name = q.dataset_name !== undefined;
  if (name && !namespace) errors.push(problem('/dataset_namespace', 'is required with dataset_name'));
  if (namespace && !name) errors.push(problem('/dataset_name', 'is required with dataset_namespace'));
  if (q.column !== undefined && !namespace && !name) errors.push(problem('/column', 'needs a dataset: give dataset_namespace and dataset_name'));
  if (q.pipeline_name === undefined && !namespace && !name) errors.push(problem('/pipeline_name', 'is required without a dataset (dataset_namespace and dataset_name)'));
  return errors;
}

/** The subject of a trend query, its dataset normalised as metrics store it (docs/datasets.md), or a 400. */
export function subjectOf(q: SubjectParams): Subject {
  const errors = problems(q);
  if (errors.length > 0) throw new InvalidRequestError(...errors);
  const dataset = q.dataset_namespace !== undefined && q.dataset_name !== undefined ? datasetIdentity(q.dataset_namespace, q.dataset_name) : null;
  const column = dataset && q.column !== undefined ? q.column.trim() : null;
  const pipeline = q.pipeline_name ?? null;
  return {
    shape: { dataset: dataset !== null, column: column !== null, pipeline: pipeline !== null },
    // Values a shape does not read are bound as they are (empty): the statement never looks at them.
    values: { pipeline: pipeline ?? '', namespace: dataset?.namespace ?? '', name: dataset?.name ?? '', column: column ?? '' },
    echo: { pipeline_name: pipeline, dataset_namespace: dataset?.namespace ?? null, dataset_name: dataset?.name ?? null, column },
  };
}
