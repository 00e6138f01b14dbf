/** Remembers every request the IdP receives, so tests can count round trips (e.g. discovery caching). */
import type { IncomingMessage } from 'node:http';

export interface DevIdpRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

export class RequestLog {
  private entries: DevIdpRequest[] = [];

  get requests(): readonly DevIdpRequest[] {
    return this.entries;
  }

  record(req: IncomingMessage): void {
    // Only the path: the query may carry a code, a state or an id_token_hint.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.entries.push({ method: req.method ?? 'GET', path, at: Date.now() });
  }

  count(pathPrefix?: string): number {
    if (pathPrefix === undefined) return this.entries.length;
    return this.entries.filter((r) => r.path.startsWith(pathPrefix)).length;
  }

  reset(): void {
    this.entries = [];
  }
}
