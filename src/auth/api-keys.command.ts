import { UsageError } from '../common/usage.error.js';
import { formatApiKey } from '../common/api-key-format.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-key.entity.js';
import type { ApiKeysService, ApiKeyInfo } from './api-keys.service.js';
import { canonicalUuid } from '../common/uuid.js';

export interface ApiKeysArgs {
  command: 'create' | 'list' | 'revoke';
  name?: string;
  scopes?: string;
  id?: string;
  json: boolean;
}

type Print = (line: string) => void;

function parseScopes(list: string | undefined): ApiKeyScope[] {
  const scopes = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes must be a comma list of ${API_KEY_SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return scopes as ApiKeyScope[];
}

function printTable(keys: ApiKeyInfo[], print: Print): void {
  const rows = [['id', 'name', 'prefix', 'scopes', 'created (UTC)', 'last used', 'revoked'], ...keys.map((k) => [k.id, k.name, formatApiKey(k.prefix, '…'), k.scopes.join(','), k.created_at, k.last_used_at ?? '', k.revoked_at ?? ''])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) print(r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

/** A checked command line: what runApiKeysCommand runs. */
export type ApiKeysRequest =
  | { command: 'create'; name: string; scopes: ApiKeyScope[]; json: boolean }
  | { command: 'list'; json: boolean }
  | { command: 'revoke'; id: string };

/** Checks the arguments before anything connects: a usage error answers at once, whatever the database's state. */
export function checkApiKeysArgs(args: ApiKeysArgs): ApiKeysRequest {
  if (args.command === 'create') {
    if (!args.name?.trim()) throw new UsageError('create needs --name NAME');
    return { command: 'create', name: args.name.trim(), scopes: parseScopes(args.scopes), json: args.json };
  }
  if (args.command === 'list') return { command: 'list', json: args.json };
  if (!/^[0-9a-f-]{36}$/i.test(args.id ?? '')) throw new UsageError('revoke needs the ID of a key (see api-keys list)');
  return { command: 'revoke', id: canonicalUuid(args.id as string) };
}

/** Key management from a shell with database access (the app's own DATABASE_URL); returns the exit code. */
export async function runApiKeysCommand(request: ApiKeysRequest, keys: ApiKeysService, print: Print): Promise<number> {
  if (request.command === 'create') {
    const { key, info } = await keys.create(request.name, request.scopes);
    if (request.json) print(JSON.stringify({ ...info, key }));
    else print(`created ${info.id} (${info.scopes.join(', ')}). The key, shown this once:\n\n  ${key}\n`);
  } else if (request.command === 'list') {
    const all = await keys.list();
    if (request.json) print(JSON.stringify(all));
    else printTable(all, print);
  } else {
    const info = await keys.revoke(request.id);
    print(`revoked ${info.id} (${info.name}) at ${info.revoked_at}`);
  }
  return 0;
}
