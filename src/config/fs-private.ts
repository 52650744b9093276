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

/**
 * Why `target` (an existing path) may not hold or lead to secrets: owned by another user, or
 * writable by group or others (anyone who can write it could plant or swap what we read).
 * POSIX only; undefined when it is fine or missing. `stat` follows a symlink (a linked config
 * *directory* is fine when what it points to is ours).
 */
export function unsafeOwnership(target: string, kind: 'directory' | 'file'): string | undefined {
  if (process.platform === 'win32') return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return undefined;
  }
  const uid = process.geteuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    return `The ${kind} ${target} belongs to another user (uid ${stat.uid}); run: chown ${uid} '${target}' (or use a config directory of your own: MSP_LICENSE_CONFIG_DIR).`;
  }
  const mode = stat.mode & 0o777;
  if ((mode & 0o022) !== 0) {
    const wanted = kind === 'directory' ? '700' : '600';
    return `The ${kind} ${target} can be written by other users (mode 0${mode.toString(8)}); run: chmod ${wanted} '${target}'`;
  }
  return undefined;
}

/** What `file` is when it is there but not a regular file (never following a symlink). */
export function notRegular(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return undefined;
  if (stat.isSymbolicLink()) {
    let target = '?';
    try {
      target = fs.readlinkSync(file);
    } catch {
      // keep '?'
    }
    return `a symbolic link (to ${target})`;
  }
  return stat.isDirectory() ? 'a directory' : 'not a regular file';
}
