// Small file helpers shared by the config modules. Node built-ins only (plus the import-free
// errors module): completion and start-up load the modules that use these.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/** Creates `dir` (and missing parents) as 0700; leaves an existing directory's mode alone. */
export function mkdirPrivate(dir: string): void {
  try {
    if (fs.mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) fs.chmodSync(dir, 0o700);
  } catch (error) {
    throw new ConfigError(`Cannot create the directory ${dir}: ${describeError(error)}`, { cause: error });
  }
}

/**
 * Writes `file` atomically: a temp file with a random suffix in the same folder, written, fsynced,
 * chmodded 0600, then renamed over `file`. Readers see the old content or the new, never a mix.
 */
export function writeFileAtomic(file: string, data: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomSuffix()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
}
