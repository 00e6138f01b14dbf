import type { ErrorValue } from './errors.js';

/** The shape every IPC answer takes: errors cross as values because Electron drops custom properties. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorValue };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorValue): Result<never> => ({ ok: false, error });
