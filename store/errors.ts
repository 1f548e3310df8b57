/**
 * What the store makes of an error: transient (retry, spool), a row's own data (isolate the row),
 * and the one error type its reads reject with for reasons a caller can act on.
 */

/** Why a read was not answered: a stable contract for the web edge (`store.busy` → 503, `store.max_points` → 400). */
export type StoreErrorCode = 'store.busy' | 'store.max_points';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Retrying may help: no SQLSTATE (socket errors, client timeouts, "Connection terminated"), or
 * classes 08 (connection), 53 (resources), 57 (operator intervention: shutdown, statement
 * timeout), 58 (system), 40 (serialization, deadlock), XX (internal).
 */
export function isTransient(e: unknown): boolean {
  const code = sqlState(e);
  return code === undefined || /^(08|53|57|58|40|XX)/.test(code);
}

/**
 * The statement was refused for the values it carried: class 22 (data exception: a NUL in text,
 * a number out of range) or 23 (integrity: a check or not-null constraint). Another row set may
 * go in, so a batch refused this way is split, never retried whole or spooled.
 */
export function isDataError(e: unknown): boolean {
  const code = sqlState(e);
  return code !== undefined && /^(22|23)/.test(code);
}

/** 42501 insufficient_privilege: the role may not do this (a DML-only service role meeting DDL). */
export function isPrivilegeError(e: unknown): boolean {
  return sqlState(e) === '42501';
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
