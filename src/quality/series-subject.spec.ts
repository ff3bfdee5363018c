import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { subjectOf, type SubjectParams } from './series-subject.js';

const pointers = (q: SubjectParams) => {
  try {
    subjectOf(q);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return ((error as InvalidRequestError).extensions.errors as { pointer: string }[]).map((e) => e.pointer);
  }
};

describe('the subject of a trend query', () => {
  it("is a pipeline's own series without a dataset", () => {
    expect(subjectOf({ pipeline_name: 'etl' })).toEqual({
      shape: { dataset: false, column: false, pipeline: true },
      values: { pipeline: 'etl', namespace: '', name: '', column: '' },
      echo: { pipeline_name: 'etl', dataset_namespace: null, dataset_name: null, column: null },
    });
  });

  it("is a dataset's or a column's series with one, narrowed to a pipeline when it is named, normalised as stored", () => {
    const column = subjectOf({ dataset_namespace: ' Postgres://DB:5432/ ', dataset_name: ' public.orders ', column: ' amount ' });
    expect(column.shape).toEqual({ dataset: true, column: true, pipeline: false });
    expect(column.echo).toEqual({ pipeline_name: null, dataset_namespace: 'postgres://db:5432', dataset_name: 'public.orders', column: 'amount' });
    expect(subjectOf({ pipeline_name: 'etl', dataset_namespace: 'ns', dataset_name: 'n' }).shape).toEqual({ dataset: true, column: false, pipeline: true });
  });

  it.each<[string, SubjectParams, string[]]>([
    ['nothing', {}, ['/pipeline_name']],
    ['a name without a namespace', { dataset_name: 'n', pipeline_name: 'etl' }, ['/dataset_namespace']],
    ['a namespace without a name', { dataset_namespace: 'ns' }, ['/dataset_name']],
    ['a column without a dataset', { column: 'c' }, ['/column', '/pipeline_name']],
    ['a column with half a dataset', { column: 'c', dataset_name: 'n' }, ['/dataset_namespace']],
  ])('refuses %s, naming the field', (_, query, expected) => {
    expect(pointers(query)).toEqual(expected);
  });
});
