import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Text, Timestamp } from '../../http/schemas.js';
import { API_KEY_SCOPES } from '../api-key.entity.js';

const Scopes = Type.Array(StringEnum(API_KEY_SCOPES), {
  minItems: 1,
  maxItems: API_KEY_SCOPES.length,
  uniqueItems: true,
  description: 'ingest: report runs, metrics and lineage; read: the GET routes; manage: pipeline metadata, monitors and acting on incidents; admin: key management.',
});

export const CreateApiKeyDto = Type.Object(
  { name: Text({ maxLength: 200, notBlank: true, description: 'Who or what uses the key, e.g. "airflow-prod"; not blank.' }), scopes: Scopes },
  { additionalProperties: false },
);
export type CreateApiKeyDto = Static<typeof CreateApiKeyDto>;

export const ApiKeyIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export type ApiKeyIdParams = Static<typeof ApiKeyIdParams>;

export const ApiKeyResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The public part of the key (pl_<prefix>_…), to tell keys apart.' }),
  scopes: Scopes,
  created_at: Timestamp,
  last_used_at: Nullable(Type.String({ description: 'Updated at most once a minute.' })),
  revoked_at: Nullable(Type.String()),
});

export const CreatedApiKeyResponse = Type.Intersect([
  ApiKeyResponse,
  Type.Object({ key: Type.String({ description: 'The key itself: shown this once, never stored in clear.' }) }),
]);
