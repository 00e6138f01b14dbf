/**
 * The one logger. Everything written goes through `redact`, so a token, code, verifier or secret
 * that reaches a log call by mistake is still never printed.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly time: string;
  readonly [key: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY =
  /^(access_?token|refresh_?token|id_?token|token|code|code_?verifier|verifier|client_?secret|secret|password|authorization|cookie|set-cookie|id_token_hint|nonce|key)$/i;
const SECRET_PARAM =
  /([?&#](?:code|access_token|refresh_token|id_token|id_token_hint|code_verifier|client_secret|token)=)[^&#\s"']*/gi;
// Compact JWS/JWE and long opaque base64url runs (opaque access/refresh tokens are usually 32+ chars).
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g;
const BEARER = /(bearer\s+)[\w\-.~+/]+=*/gi;

export const REDACTED = '[redacted]';

export function redactString(value: string): string {
  return value.replace(JWT, REDACTED).replace(SECRET_PARAM, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (value instanceof URL) return redactString(value.href);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') out['code'] = code;
    if (value.cause !== undefined) out['cause'] = redact(value.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v != null ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return value;
}

export const stderrSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`);
};

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: Record<string, unknown> } = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const sink = options.sink ?? stderrSink;
  const base = options.fields ?? {};
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < threshold) return;
    const safe = redact({ ...base, ...fields }) as Record<string, unknown>;
    sink({ ...safe, level, msg: redactString(msg), time: new Date().toISOString() });
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ level: options.level ?? 'info', sink, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything: for callers that have nothing to say. */
export const silentLogger: Logger = createLogger({ sink: () => undefined });

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = env['LOG_LEVEL'];
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'info';
}
