// How a dataset is named, once for everything that names one: metrics, monitors, incidents and (later)
// the lineage graph, so that they meet without a mapping (docs/datasets.md). OpenLineage names a dataset by
// a namespace (where it lives: `postgres://db.example.com:5432`, `s3://bucket`, `bigquery`) and a name
// within it (`analytics.public.orders`). Producers differ in small ways only: surrounding spaces, a
// trailing slash, the case of the scheme and host (which URLs ignore). The name is kept as given, trimmed:
// identifiers may be case-sensitive.

const SCHEME_AND_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s;

export interface DatasetIdentity {
  namespace: string;
  name: string;
}

/** A namespace as stored and compared: trimmed, its scheme and authority lower-case, no trailing slash. */
export function datasetNamespace(namespace: string): string {
  const ns = namespace.trim().replace(/\/+$/, '');
  const url = SCHEME_AND_AUTHORITY.exec(ns);
  return url ? `${url[1]!.toLowerCase()}${url[2]!.toLowerCase()}${url[3]}` : ns;
}

/** The namespace and name as stored and compared: the namespace as datasetNamespace makes it, the name trimmed. */
export function datasetIdentity(namespace: string, name: string): DatasetIdentity {
  return { namespace: datasetNamespace(namespace), name: name.trim() };
}
