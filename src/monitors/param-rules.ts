import { formatIsoDuration, requireIsoDuration } from '../common/iso-duration.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';

/** Where the errors point: '' for the API body, `/monitors/3` for an item of a monitors file. */
export interface At {
  base: string;
}

export function invalid(at: At, pointer: string, detail: string): never {
  throw new InvalidRequestError({ in: 'body', pointer: `${at.base}${pointer}`, detail } satisfies InvalidParam);
}

export function onlyKeys(params: Record<string, unknown>, allowed: readonly string[], at: At, hint: string): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) invalid(at, `/params/${key}`, `is not a parameter of this monitor (${hint})`);
  }
}

/** A duration param in its canonical spelling, or a 400 naming it. */
export const duration = (value: unknown, at: At, field: string) => formatIsoDuration(requireIsoDuration(value, `${at.base}/params/${field}`));

/** A finite number param (optionally within bounds), or a 400 naming it. */
export function finite(value: unknown, at: At, field: string, rule: { min?: number; above?: number; max?: number; what: string }): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) invalid(at, `/params/${field}`, `must be ${rule.what}`);
  return value as number;
}
