import { describe, expect, it } from '@jest/globals';
import { clientConnection } from './pg-connection.js';

describe('clientConnection', () => {
  it('drops sslmode from the URL, so that the ssl option decides, and keeps everything else', () => {
    expect(clientConnection('postgres://u:p%40ss@db:5433/ledger?sslmode=require', { rejectUnauthorized: false })).toEqual({
      connectionString: 'postgres://u:p%40ss@db:5433/ledger',
      ssl: { rejectUnauthorized: false },
    });
    expect(clientConnection('postgres://db/ledger?sslmode=prefer', false).connectionString).toBe('postgres://db/ledger');
  });
});
