/**
 * Event names pushed from main to the renderer, apart from the request schemas so the preload can
 * use them without bundling the schema library (it validates nothing; main does).
 */
import type { SessionSnapshot } from './contract.js';

export const EVENTS = { sessionChanged: 'auth:changed' } as const;

export interface Events {
  'auth:changed': SessionSnapshot;
}
