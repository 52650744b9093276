// A cross-process lock file (token refresh is single-flight across processes: Central rotates
// refresh tokens, so two cron jobs refreshing at once would lock each other out).
// Node built-ins only (plus the import-free errors module).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../errors.js';
import { describeError as describe, errorCode, mkdirPrivate } from './fs-private.js';

export interface FileLockOptions {
  /** Give up waiting after this long (ConfigError). Default 30 s. */
  timeoutMs?: number;
  /** A lock not touched for this long is abandoned and may be broken. Default 60 s. */
  staleMs?: number;
}

interface LockInfo {
  pid?: unknown;
  hostname?: unknown;
  createdAt?: unknown;
}

interface Seen {
  ino: number;
  mtimeMs: number;
  content: string;
}

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
  const held = await acquire(lockPath, timeoutMs, staleMs);
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

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<Held> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = tryCreate(lockPath);
    if (held) return held;
    if (breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) throw timeoutError(lockPath);
    await sleep(15 + Math.floor(Math.random() * 46));
  }
}

function tryCreate(lockPath: string): Held | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return undefined;
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

/** Returns true when the caller should retry at once (the lock is gone or was just broken). */
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
      fs.rmSync(lockPath, { force: true });
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breakPath, { force: true });
  }
  return true;
}

function isStale(seen: Seen, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
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

function inspect(file: string): Seen | undefined {
  try {
    const stat = fs.statSync(file);
    const content = fs.readFileSync(file, 'utf8');
    return { ino: stat.ino, mtimeMs: stat.mtimeMs, content };
  } catch {
    return undefined;
  }
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
  const info = parseInfo(inspect(lockPath)?.content ?? '');
  const holder =
    info && typeof info.pid === 'number'
      ? ` (pid ${info.pid} on ${String(info.hostname)} since ${String(info.createdAt)})`
      : '';
  return new ConfigError(`Another msp-license is holding ${lockPath}${holder}; if none runs, delete it.`, {
    hint: `If no msp-license process is running, delete ${lockPath} and try again.`,
    retryable: true,
  });
}
