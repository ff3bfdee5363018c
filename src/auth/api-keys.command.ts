import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app.config.js';
import { buildOrmOptions } from '../database/orm-options.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-key.entity.js';
import { ApiKeysService, type ApiKeyInfo } from './api-keys.service.js';

export const API_KEYS_USAGE = `Usage: node dist/cli.js api-keys <command> [options]

Commands:
  create --name NAME --scopes SCOPES [--json]
                         create a key; SCOPES is a comma list of ${API_KEY_SCOPES.join(', ')}.
                         The key is printed once and never stored in clear: keep it now
  list [--json]          every key: id, name, prefix, scopes, created, last used, revoked (never the key)
  revoke ID              refuse the key from its next request on`;

export interface ApiKeysArgs {
  command: string | undefined;
  name?: string;
  scopes?: string;
  id?: string;
  json: boolean;
}

export class ApiKeysUsageError extends Error {}

type Print = (line: string) => void;

function parseScopes(list: string | undefined): ApiKeyScope[] {
  const scopes = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new ApiKeysUsageError(`--scopes must be a comma list of ${API_KEY_SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return scopes as ApiKeyScope[];
}

function printTable(keys: ApiKeyInfo[], print: Print): void {
  const rows = [['id', 'name', 'prefix', 'scopes', 'created (UTC)', 'last used', 'revoked'], ...keys.map((k) => [k.id, k.name, `pl_${k.prefix}_…`, k.scopes.join(','), k.created_at, k.last_used_at ?? '', k.revoked_at ?? ''])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) print(r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

/** Key management from a shell with database access (the app's own DATABASE_URL); returns the exit code. */
export async function runApiKeysCommand(args: ApiKeysArgs, config: AppConfig, print: Print): Promise<number> {
  if (!['create', 'list', 'revoke'].includes(args.command ?? '')) {
    throw new ApiKeysUsageError(args.command ? `unknown api-keys command "${args.command}"` : 'missing api-keys command');
  }
  if (args.command === 'create' && !args.name?.trim()) throw new ApiKeysUsageError('create needs --name NAME');
  if (args.command === 'revoke' && !/^[0-9a-f-]{36}$/i.test(args.id ?? '')) throw new ApiKeysUsageError('revoke needs the ID of a key (see api-keys list)');
  const scopes = args.command === 'create' ? parseScopes(args.scopes) : [];
  const orm = await MikroORM.init(buildOrmOptions(config, { logger: () => undefined }));
  try {
    const keys = new ApiKeysService(orm.em.fork());
    if (args.command === 'create') {
      const { key, info } = await keys.create((args.name as string).trim(), scopes);
      if (args.json) print(JSON.stringify({ ...info, key }));
      else print(`created ${info.id} (${info.scopes.join(', ')}). The key, shown this once:\n\n  ${key}\n`);
    } else if (args.command === 'list') {
      const all = await keys.list();
      if (args.json) print(JSON.stringify(all));
      else printTable(all, print);
    } else {
      const info = await keys.revoke((args.id as string).toLowerCase());
      print(`revoked ${info.id} (${info.name}) at ${info.revoked_at}`);
    }
    return 0;
  } finally {
    await orm.close(true);
  }
}
