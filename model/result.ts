import type { RejectCode } from './codes.js';

/** Outcome of any function on wire data: a value, or a stable reason code. Never an exception. */
export type Result<T> = Ok<T> | Rejection;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Rejection {
  readonly ok: false;
  readonly code: RejectCode;
  /** Short human hint (field name, expected length…); never parsed by programs. */
  readonly detail?: string;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function reject(code: RejectCode, detail?: string): Rejection {
  return detail === undefined ? { ok: false, code } : { ok: false, code, detail };
}
