import { describe, expect, it } from '@jest/globals';
import { datasetIdentity } from './dataset-identity.js';

describe('datasetIdentity', () => {
  it('trims both, lower-cases the scheme and host of the namespace and drops its trailing slash', () => {
    expect(datasetIdentity(' Postgres://DB.Example.com:5432/ ', ' public.Orders ')).toEqual({ namespace: 'postgres://db.example.com:5432', name: 'public.Orders' });
    expect(datasetIdentity('S3://Bucket/Path/', 'x')).toEqual({ namespace: 's3://bucket/Path', name: 'x' });
  });

  it('leaves a namespace that is not a URL as it is, but trimmed', () => {
    expect(datasetIdentity(' bigquery ', 'project.dataset.table')).toEqual({ namespace: 'bigquery', name: 'project.dataset.table' });
    expect(datasetIdentity('file', '/tmp/Data.csv')).toEqual({ namespace: 'file', name: '/tmp/Data.csv' });
  });

  it('is idempotent', () => {
    const once = datasetIdentity(' KAFKA://Broker:9092// ', ' Topic ');
    expect(datasetIdentity(once.namespace, once.name)).toEqual(once);
  });
});
