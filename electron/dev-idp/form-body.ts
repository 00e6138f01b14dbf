/** Reads a small `application/x-www-form-urlencoded` request body, refusing anything else or larger. */
import type { IncomingMessage } from 'node:http';

const MAX_FORM_BYTES = 8 * 1024;

export class FormBodyError extends Error {
  override readonly name = 'FormBodyError';
  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export async function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new FormBodyError(415, 'expected a form submission');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) {
      req.resume();
      throw new FormBodyError(413, 'form too large');
    }
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
