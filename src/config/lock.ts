// A cross-process lock file (token refresh is single-flight across processes: Central rotates
// refresh tokens, so two cron jobs refreshing at once would lock each other out).
// Node built-ins only (plus the import-free errors module).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, InterruptedError } from '../errors.js';
import { describeError as describe, errorCode, mkdirPrivate } from './fs-private.js';

export interface FileLockOptions {
  /** Give up waiting after this long (ConfigError). Default 30 s. */
  timeoutMs?: number;
  /** A lock not touched for this long is abandoned and may be broken. Default 60 s. */
  staleMs?: number;
  /** Stops the wait (Ctrl-C, SIGTERM): its reason is thrown when it is an Error. */
  signal?: AbortSignal;
}

interface LockInfo {
  pid?: unknown;
  hostname?: unknown;
  createdAt?: unknown;
}

interface Seen {
  ino: number;
  /** The lstat mtime: a symlink's own, never its target's. */
  mtimeMs: number;
  content: string;
  /** What the path is when it is not a regular file (`a directory`, `a symbolic link`, ...). */
  odd?: string;
}

/** A lock file is a few dozen bytes; more than this is not ours and is not read. */
const MAX_LOCK_BYTES = 4096;

interface Held {
  fd: number;
  ino: number;
  content: string;
}

/** Breakers hold `<lock>.break` for microseconds; one this old was left by a crash. */
const BREAK_LOCK_STALE_MS = 10_000;

/**
 * Runs `fn` while holding the lock file at `lockPath` (created with O_EXCL, mode 0600, holding
 * `{pid, hostname, createdAt}`). A lock whose holder is gone (same host, pid not alive) or that
 * has not been touched for `staleMs` is broken; the holder touches it every staleMs/4, so a long
 * `fn` is never mistaken for a dead one. Not re-entrant: nesting on the same path waits until
 * the timeout.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const held = await acquire(lockPath, timeoutMs, staleMs, options.signal);
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      // futimes touches the inode we created, even if the path was taken over since.
      fs.futimes(held.fd, now, now, () => {});
    },
    Math.max(100, Math.floor(staleMs / 4)),
  );
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    release(lockPath, held);
  }
}

/**
 * Every pass checks the deadline and sleeps (abortably), whatever the lock turned out to be: a
 * lock that cannot be read, a directory or a symlink in its place is held, never "gone", so the
 * loop can neither spin nor go deaf to signals.
 */
async function acquire(
  lockPath: string,
  timeoutMs: number,
  staleMs: number,
  signal: AbortSignal | undefined,
): Promise<Held> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const held = tryCreate(lockPath);
    if (held) return held;
    breakIfStale(lockPath, staleMs);
    if (Date.now() >= deadline) throw timeoutError(lockPath);
    try {
      await sleep(15 + Math.floor(Math.random() * 46), undefined, signal ? { signal } : undefined);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw error;
    }
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new InterruptedError();
}

function tryCreate(lockPath: string): Held | undefined {
  let fd: number;
  try {
    // O_EXCL never follows a symlink in the lock's place (it is EEXIST); O_NOFOLLOW says so twice.
    fd = fs.openSync(
      lockPath,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST' || code === 'ELOOP' || code === 'EISDIR') return undefined;
    if (code === 'ENOENT') {
      // The config directory does not exist yet: the lock is taken only by commands about to write.
      mkdirPrivate(path.dirname(lockPath));
      return tryCreate(lockPath);
    }
    throw new ConfigError(`Cannot create the lock file ${lockPath}: ${describe(error)}`, { cause: error });
  }
  const content = JSON.stringify({
    pid: process.pid,
    hostname: os.hostname(),
    createdAt: new Date().toISOString(),
  });
  try {
    fs.writeSync(fd, content);
    return { fd, ino: fs.fstatSync(fd).ino, content };
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw new ConfigError(`Cannot write the lock file ${lockPath}: ${describe(error)}`, { cause: error });
  }
}

function release(lockPath: string, held: Held): void {
  try {
    fs.closeSync(held.fd);
  } catch {
    // already closed
  }
  // Remove it only while it is still ours: if it was broken as stale, it belongs to someone else now.
  const now = inspect(lockPath);
  if (now && now.ino === held.ino && now.content === held.content) {
    try {
      fs.unlinkSync(lockPath);
    } catch {
      // gone already
    }
  }
}

/** Breaks the lock when it is stale; the caller sleeps and tries again either way. */
function breakIfStale(lockPath: string, staleMs: number): boolean {
  const seen = inspect(lockPath);
  if (!seen) return true;
  if (!isStale(seen, staleMs)) return false;
  // Breakers take turns through `<lock>.break`, so two of them can never both judge the same
  // stale lock and then one delete the fresh lock the other has just created.
  const breakPath = `${lockPath}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breakPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      const breaker = inspect(breakPath);
      if (breaker && Date.now() - breaker.mtimeMs > BREAK_LOCK_STALE_MS)
        fs.rmSync(breakPath, { force: true });
    }
    return false;
  }
  try {
    const again = inspect(lockPath);
    if (again && again.ino === seen.ino && again.content === seen.content && isStale(again, staleMs)) {
      // unlink removes a symlink itself (never its target) and refuses a directory: that one
      // stays held until someone removes it (the timeout error says how).
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // gone already, or a directory
      }
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breakPath, { force: true });
  }
  return true;
}

function isStale(seen: Seen, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  if (seen.odd) return false;
  const info = parseInfo(seen.content);
  if (!info) return false; // being written right now, or garbage: only age can tell
  return info.hostname === os.hostname() && typeof info.pid === 'number' && !isAlive(info.pid);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) !== 'ESRCH';
  }
}

/**
 * What is at `file` now: undefined only when nothing is (ENOENT). Anything else (unreadable, a
 * directory, a symlink, a FIFO) is a lock someone holds, stale by its own lstat mtime. Never
 * follows a symlink, never blocks on a FIFO, never reads more than MAX_LOCK_BYTES.
 */
function inspect(file: string): Seen | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    // Cannot even lstat it (a folder on the way we may not search): held, and never stale.
    return { ino: -1, mtimeMs: Date.now(), content: '', odd: `unreadable (${describe(error)})` };
  }
  const seen: Seen = { ino: stat.ino, mtimeMs: stat.mtimeMs, content: '' };
  if (!stat.isFile()) {
    seen.odd = stat.isDirectory() ? 'a directory' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a file';
    return seen;
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const length = fs.readSync(fd, buffer, 0, MAX_LOCK_BYTES, 0);
    seen.content = buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    seen.content = '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return seen;
}

function parseInfo(content: string): LockInfo | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return value !== null && typeof value === 'object' ? (value as LockInfo) : undefined;
  } catch {
    return undefined;
  }
}

function timeoutError(lockPath: string): ConfigError {
  const seen = inspect(lockPath);
  if (seen?.odd) {
    return new ConfigError(`The lock file ${lockPath} is ${seen.odd}, not a lock msp-license wrote.`, {
      hint: `Remove it (rm -r '${lockPath}') if no msp-license process is running, and try again.`,
      retryable: true,
    });
  }
  const info = parseInfo(seen?.content ?? '');
  const holder =
    info && typeof info.pid === 'number'
      ? ` (pid ${info.pid} on ${String(info.hostname)} since ${String(info.createdAt)})`
      : '';
  return new ConfigError(`Another msp-license is holding ${lockPath}${holder}; if none runs, delete it.`, {
    hint: `If no msp-license process is running, delete ${lockPath} and try again.`,
    retryable: true,
  });
}
