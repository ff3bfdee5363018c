import { readdirSync, readFileSync } from 'node:fs';

/** The OpenLineage event schema we validate against; facet schemas refer to it by this id. */
export const CORE_ID = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';

/** Shipped beside this module (nest-cli.json copies them into dist/): a checkout needs nothing else. */
const SPEC_DIR = new URL('./openlineage/spec/', import.meta.url);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where each kind of facet sits in an event, as JSON Schema paths into the core schema's $defs. */
const CONTAINERS: Record<string, (defs: Json) => Json> = {
  RunFacet: (d) => prop(d.Run, 'facets'),
  JobFacet: (d) => prop(d.Job, 'facets'),
  DatasetFacet: (d) => prop(d.Dataset, 'facets'),
  InputDatasetFacet: (d) => prop(branchWith(d.InputDataset, 'inputFacets'), 'inputFacets'),
  OutputDatasetFacet: (d) => prop(branchWith(d.OutputDataset, 'outputFacets'), 'outputFacets'),
};

function prop(schema: unknown, name: string): Json {
  const found = isObject(schema) && isObject(schema.properties) ? schema.properties[name] : undefined;
  if (!isObject(found)) throw new Error(`OpenLineage schema: no property ${name} where facets were expected`);
  return found;
}

function branchWith(schema: unknown, name: string): Json {
  const branches = isObject(schema) && Array.isArray(schema.allOf) ? schema.allOf : [];
  const branch = branches.find((b: unknown) => isObject(b) && isObject(b.properties) && name in b.properties);
  if (!isObject(branch)) throw new Error(`OpenLineage schema: no allOf branch with ${name}`);
  return branch;
}

const CORE_REF = /^https:\/\/openlineage\.io\/spec\/\d+-\d+-\d+\/OpenLineage\.json#\/(?:\$defs|definitions)\/(\w+)$/;

/**
 * Facet schemas written for other versions of the core schema refer to it by their own version, and older
 * ones by `#/definitions/…` (draft-07) rather than `#/$defs/…` (2020-12): both resolve to the one we ship.
 */
export function retarget(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(retarget);
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(CORE_REF, `${CORE_ID}#/$defs/$1`) : retarget(v)]),
  );
}

/** A schema's own definitions, under whichever keyword its draft keeps them. */
const defsOf = (schema: Json): [keyword: string, defs: Json] =>
  isObject(schema.$defs) ? ['$defs', schema.$defs] : ['definitions', isObject(schema.definitions) ? schema.definitions : {}];

/**
 * Leniencies for what real producers send (see docs/openlineage.md), made here rather than in
 * the copied files: a missing schemaURL is accepted, and a dataQualityMetrics facet may carry a rowCount
 * without columnMetrics (the OpenLineage and Marquez full example events do).
 */
function relax(core: Json, facets: Json[]): void {
  const base = (core.$defs as Json).BaseEvent as Json;
  base.required = (base.required as string[]).filter((r) => r !== 'schemaURL');
  for (const facet of facets) {
    for (const [name, def] of Object.entries(defsOf(facet)[1])) {
      if (!name.startsWith('DataQualityMetrics') || !isObject(def) || !Array.isArray(def.allOf)) continue;
      for (const part of def.allOf as Json[]) {
        if (!Array.isArray(part.required) || !part.required.includes('columnMetrics')) continue;
        delete part.required;
        part.anyOf = [{ required: ['columnMetrics'] }, { required: ['rowCount'] }];
      }
    }
  }
}

/** Each facet a facet file defines (its top-level properties), placed where its base type says it goes. */
function place(core: Json, facet: Json): void {
  const [keyword, defs] = defsOf(facet);
  for (const [facetName, ref] of Object.entries(isObject(facet.properties) ? facet.properties : {})) {
    const defName = isObject(ref) && typeof ref.$ref === 'string' ? ref.$ref.split('/').pop() : undefined;
    const def = defName === undefined ? undefined : defs[defName];
    const parents = isObject(def) && Array.isArray(def.allOf) ? def.allOf : [];
    const parentRef = parents.map((p: unknown) => (isObject(p) ? p.$ref : undefined)).find((r): r is string => typeof r === 'string');
    const container = CONTAINERS[parentRef?.split('/').pop() ?? ''];
    if (!container) continue;
    const target = container(core.$defs as Json);
    target.properties = { ...(isObject(target.properties) ? target.properties : {}), [facetName]: { $ref: `${String(facet.$id)}#/${keyword}/${defName}` } };
  }
}

export interface OpenLineageSchemas {
  core: Json;
  facets: Json[];
}

/** The core schema with the known facets placed in it and the leniencies applied, and the facet schemas. */
export function buildSchemas(core: Json, facetFiles: Json[]): OpenLineageSchemas {
  const patched = structuredClone(core);
  const facets = facetFiles.map((f) => retarget(structuredClone(f)) as Json);
  relax(patched, facets);
  for (const facet of facets) place(patched, facet);
  return { core: patched, facets };
}

export function loadSchemas(dir: URL = SPEC_DIR): OpenLineageSchemas {
  const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as Json;
  const facetDir = new URL('facets/', dir);
  const files = readdirSync(facetDir).filter((f) => f.endsWith('.json')).sort();
  return buildSchemas(read(new URL('OpenLineage.json', dir)), files.map((f) => read(new URL(f, facetDir))));
}
