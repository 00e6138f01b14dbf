import { describe, expect, it } from 'vitest';
import { createLogger, redact, redactString, REDACTED, type LogRecord } from '../../electron/auth/logger.js';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz';

describe('the logger never prints a secret', () => {
  it('redacts secret-named fields at any depth, and keeps the rest', () => {
    const out = redact({
      access_token: 'opaque-1',
      refreshToken: 'opaque-2',
      nested: { code_verifier: 'v', client_secret: 's', password: 'p', provider: 'dev' },
      list: [{ id_token: jwt }],
      status: 200,
    });
    expect(out).toEqual({
      access_token: REDACTED,
      refreshToken: REDACTED,
      nested: { code_verifier: REDACTED, client_secret: REDACTED, password: REDACTED, provider: 'dev' },
      list: [{ id_token: REDACTED }],
      status: 200,
    });
  });

  it('redacts JWTs, bearer tokens and secret query parameters inside text', () => {
    const text = `GET com.example.desktop:/callback?code=abc123&state=xyz with Bearer opaque.token-1 and ${jwt}`;
    const out = redactString(text);
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('opaque.token-1');
    expect(out).not.toContain(jwt);
    expect(out).toContain('state=xyz');
  });

  it('redacts errors, their messages and their causes', () => {
    const error = new Error(`token request failed for ${jwt}`, { cause: { refresh_token: 'r' } });
    expect(JSON.stringify(redact(error))).not.toMatch(/eyJ|"r"/);
  });

  it('applies to every record a logger writes, message included', () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ level: 'debug', sink: (r) => records.push(r) }).child({ token: 'child-secret' });
    logger.debug(`callback ?code=zzz`, { accessToken: 'aaa', url: new URL('http://127.0.0.1/cb?code=yyy&state=s') });
    const line = JSON.stringify(records);
    expect(line).not.toMatch(/zzz|aaa|yyy|child-secret/);
    expect(records).toHaveLength(1);
  });

  it('drops records below the level', () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ level: 'warn', sink: (r) => records.push(r) });
    logger.info('quiet');
    logger.warn('loud');
    expect(records.map((r) => r.msg)).toEqual(['loud']);
  });
});
