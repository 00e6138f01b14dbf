/**
 * The vault's Store over `conf`, opened with the options electron-store passes it (cwd = userData,
 * configName), so Node, the tests and Electron run one code path against one file format.
 *
 * What conf 15 does that this relies on (read in node_modules/conf/dist/source/index.js):
 * - writes go through `atomically` (temp file, fsync, rename), so a crash leaves the old or the new
 *   file, never half of one;
 * - every `get`/`set` reads the file again (`get store()` calls readFileSync): no cache, so a
 *   process sees another's write at once, which cross-process refresh depends on;
 * - `set` rewrites the whole file, so writers must be serialised (the vault's lock does that).
 *
 * A file that is not a JSON object is moved aside (`<file>.corrupt-<time>`), never deleted, and the
 * store starts empty; the move is reported through `takeRecovered()` and `onRecovered`.
 */
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import Conf, { type Options } from 'conf';
import { AuthError } from './errors.js';
import type { Store } from './ports.js';

export interface ConfStoreOptions {
  /** The folder: Electron's userData in the app, a temp dir in tests. */
  cwd: string;
  configName: string;
  projectName?: string;
  /** Called with the path a corrupt file was moved to. */
  onRecovered?: (movedTo: string) => void;
  /** Opens the underlying store; Electron passes electron-store (a Conf subclass) here. */
  open?: (options: Options<StoredValues>) => Conf<StoredValues>;
}

export interface RecoveringStore extends Store {
  /** Paths corrupt files were moved to since the last call; empties the list. */
  takeRecovered(): string[];
}

export type StoredValues = Record<string, unknown>;

/** Anything but a JSON object counts as corrupt; throwing SyntaxError routes it to recovery. */
function parseObject(text: string): StoredValues {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('The store file does not hold a JSON object.');
  }
  return value as StoredValues;
}

export function createConfStore(options: ConfStoreOptions): RecoveringStore {
  const recovered: string[] = [];

  const open = (): Conf<StoredValues> =>
    (options.open ?? ((o) => new Conf<StoredValues>(o)))({
      cwd: options.cwd,
      configName: options.configName,
      ...(options.projectName === undefined ? {} : { projectName: options.projectName }),
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
      configFileMode: 0o600,
      deserialize: parseObject,
    });

  const moveAside = (file: string): void => {
    const base = `${file}.corrupt-${Date.now()}`;
    let target = base;
    for (let n = 1; existsSync(target); n++) target = `${base}-${n}`;
    try {
      renameSync(file, target);
    } catch (error) {
      // Another process moved it first: the file is already out of the way.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw unavailable(file, error);
    }
    recovered.push(target);
    options.onRecovered?.(target);
  };

  /** Runs an operation; a corrupt file is moved aside once and the operation retried on an empty store. */
  const guarded = <T>(file: string, operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw unavailable(file, error);
    }
    moveAside(file);
    try {
      return operation();
    } catch (error) {
      throw unavailable(file, error);
    }
  };

  // conf's own path rule (cwd + configName + '.json'), known before opening since opening reads the file.
  const conf = guarded(path.resolve(options.cwd, `${options.configName}.json`), open);

  return {
    path: conf.path,
    get: (key) =>
      guarded(conf.path, () => {
        const value = conf.get(key);
        if (value === undefined) return undefined;
        // A non-string was not written by us: hand it on as text so the caller reports it as corrupt.
        return typeof value === 'string' ? value : JSON.stringify(value);
      }),
    set: (key, value) => guarded(conf.path, () => conf.set(key, value)),
    delete: (key) => guarded(conf.path, () => conf.delete(key)),
    takeRecovered: () => recovered.splice(0),
  };
}

function unavailable(file: string, cause: unknown): AuthError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return new AuthError('storage_unavailable', `The app cannot use its storage file ${file} (${code}).`, { cause });
}
