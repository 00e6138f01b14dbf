/**
 * The shared frame of every page the IdP renders: escaping, one stylesheet, and the headers that
 * lock a page down (a CSP with no script unless a page brings a hashed one, no framing, no caching).
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface HtmlPage {
  readonly status: number;
  readonly body: string;
  /** Extra `form-action` sources beyond 'self' (where the form's redirect chain may end). */
  readonly formTargets?: readonly string[];
  /** Inline scripts the page contains, allowed by hash. */
  readonly scripts?: readonly string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f4f4f7;color:#1d1d24;margin:0;padding:2rem 1rem}
main{max-width:24rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1rem}
label{display:block;font-weight:600;margin-top:1rem}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem;border:1px solid #767676;border-radius:4px}
.actions{display:flex;gap:.5rem;margin-top:1.5rem}
button{font-size:1rem;padding:.5rem 1rem;border-radius:4px;border:1px solid #3b2a66;background:#4b3590;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#3b2a66}
.error{color:#a4000f;background:#fdecee;border-radius:4px;padding:.5rem}
.note{font-size:.875rem;color:#4a4a55}
table{border-collapse:collapse;font-size:.875rem}th,td{text-align:left;padding:.25rem .75rem .25rem 0}
code{font-family:ui-monospace,monospace}
`;

const hashSource = (source: string): string => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

export function layout(title: string, content: string, scripts: readonly string[] = []): string {
  const scriptTags = scripts.map((s) => `<script>${s}</script>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Development IdP</title>
<style>${STYLE}</style>${scriptTags}
</head>
<body>
<main>
${content}
</main>
</body>
</html>`;
}

/** Only characters a scheme or origin can contain, so a source can never break out of the CSP. */
const CSP_SOURCE = /^[a-z][a-z0-9+.-]*:(\/\/[a-z0-9.[\]:-]+)?$/i;

export function contentSecurityPolicy(page: Pick<HtmlPage, 'formTargets' | 'scripts'>): string {
  const formTargets = (page.formTargets ?? []).filter((t) => CSP_SOURCE.test(t));
  const scripts = (page.scripts ?? []).map(hashSource);
  return [
    "default-src 'none'",
    `style-src ${hashSource(STYLE)}`,
    "img-src 'self'",
    `script-src ${scripts.length > 0 ? scripts.join(' ') : "'none'"}`,
    // Chromium applies form-action to the whole redirect chain after a submit, so the app's
    // redirect URI has to be listed too, or the final redirect with the code is blocked.
    `form-action 'self' ${formTargets.join(' ')}`.trimEnd(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function securityHeaders(page: HtmlPage): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(page),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** The CSP source for a redirect URI: its origin for http(s), its scheme for a private-use URI. */
export function formTargetFor(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const source = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
  return CSP_SOURCE.test(source) ? source : undefined;
}

export function sendHtml(res: ServerResponse, page: HtmlPage): void {
  res.writeHead(page.status, securityHeaders(page));
  res.end(page.body);
}
