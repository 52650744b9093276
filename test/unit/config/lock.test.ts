import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../src/config/lock.js';
import { ConfigError } from '../../../src/errors.js';
import { bundle, deadPid, fixtures, mode, runNode, tempDir } from './helpers.js';

let dir: string;
let lockPath: string;

beforeEach(() => {
  dir = tempDir();
  lockPath = path.join(dir, 'config.lock');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeLock(info: { pid: number; hostname: string }, ageMs = 0): string {
  const content = JSON.stringify({ ...info, createdAt: new Date(Date.now() - ageMs).toISOString() });
  fs.writeFileSync(lockPath, content);
  if (ageMs > 0) {
    const then = new Date(Date.now() - ageMs);
    fs.utimesSync(lockPath, then, then);
  }
  return content;
}

describe('withFileLock', () => {
  it('holds a 0600 lock file with pid, hostname and createdAt while fn runs, and removes it after', async () => {
    const result = await withFileLock(lockPath, async () => {
      expect(mode(lockPath)).toBe(0o600);
      const info = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
      expect(info).toMatchObject({ pid: process.pid, hostname: os.hostname() });
      expect(Number.isNaN(Date.parse(info.createdAt))).toBe(false);
      return 42;
    });
    expect(result).toBe(42);
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    await expect(
      withFileLock(lockPath, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('creates a missing parent directory as 0700', async () => {
    const nested = path.join(dir, 'fresh', 'config.lock');
    await withFileLock(nested, async () => undefined);
    expect(mode(path.dirname(nested))).toBe(0o700);
  });

  it('serialises callers in one process', async () => {
    const events: string[] = [];
    const task = (name: string) =>
      withFileLock(lockPath, async () => {
        events.push(`start ${name}`);
        await sleep(20);
        events.push(`end ${name}`);
      });
    await Promise.all([task('a'), task('b'), task('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.replace('start', '')).toBe(events[i + 1]!.replace('end', ''));
    }
  });

  it('breaks a lock left by a dead process on this host at once', async () => {
    writeLock({ pid: await deadPid(), hostname: os.hostname() });
    const started = Date.now();
    await withFileLock(lockPath, async () => undefined, { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('breaks a lock not touched for staleMs, even if its pid is alive', async () => {
    writeLock({ pid: process.pid, hostname: 'another-host' }, 5_000);
    await withFileLock(lockPath, async () => undefined, { timeoutMs: 2_000, staleMs: 1_000 });
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('times out with a ConfigError naming the lock while a live holder keeps it, and leaves it alone', async () => {
    const content = writeLock({ pid: process.pid, hostname: os.hostname() });
    const error = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(lockPath);
    expect((error as ConfigError).message).toContain('if none runs, delete it');
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(content);
  });

  it('a directory at the lock path is held, not gone: it times out naming it and how to remove it', async () => {
    fs.mkdirSync(lockPath);
    const error = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${lockPath} is a directory`);
    expect((error as ConfigError).hint).toContain(`rm -r '${lockPath}'`);
    expect(fs.statSync(lockPath).isDirectory()).toBe(true);
  });

  it('a fresh dangling symlink at the lock path is held and never followed', async () => {
    const target = path.join(dir, 'target');
    fs.symlinkSync(target, lockPath);
    await expect(withFileLock(lockPath, async () => 1, { timeoutMs: 300 })).rejects.toBeInstanceOf(
      ConfigError,
    );
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.lstatSync(lockPath).isSymbolicLink()).toBe(true);
  });

  it('an aborted signal ends the wait with its reason', async () => {
    fs.mkdirSync(lockPath);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 100);
    await expect(
      withFileLock(lockPath, async () => 1, { timeoutMs: 10_000, signal: controller.signal }),
    ).rejects.toThrow('stop');
  });

  it('waits for a lock held by another host until it is stale (never judges a foreign pid)', async () => {
    writeLock({ pid: 999_999_999, hostname: 'another-host' });
    await expect(withFileLock(lockPath, async () => 1, { timeoutMs: 300 })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('keeps a long-held lock fresh so that it is not broken as stale', async () => {
    const staleMs = 400;
    await withFileLock(
      lockPath,
      async () => {
        await sleep(1_000);
        // Our own pid is alive, so only age could make it stale: the heartbeat prevents that.
        await expect(
          withFileLock(lockPath, async () => 1, { timeoutMs: 300, staleMs }),
        ).rejects.toBeInstanceOf(ConfigError);
      },
      { staleMs },
    );
  });

  it('does not delete a lock that is no longer its own', async () => {
    await withFileLock(lockPath, async () => {
      // Someone judged ours stale and took over: the path now holds their lock.
      fs.rmSync(lockPath);
      fs.writeFileSync(lockPath, '{"pid":1,"hostname":"x","createdAt":"y"}');
    });
    expect(fs.readFileSync(lockPath, 'utf8')).toBe('{"pid":1,"hostname":"x","createdAt":"y"}');
  });

  it('gives mutual exclusion across 8 processes (no overlap, no lost update)', async () => {
    const lockBundle = bundle('lock', dir);
    const counter = path.join(dir, 'counter');
    const log = path.join(dir, 'log');
    fs.writeFileSync(counter, '0');
    fs.writeFileSync(log, '');
    const rounds = 3;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runNode(path.join(fixtures, 'lock-worker.mjs'), [lockBundle, lockPath, counter, log, String(rounds)]),
      ),
    );
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
    expect(Number(fs.readFileSync(counter, 'utf8'))).toBe(8 * rounds);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2 * 8 * rounds);
    for (let i = 0; i < lines.length; i += 2) {
      const [start, end] = [lines[i]!.split(' '), lines[i + 1]!.split(' ')];
      expect([start[0], end[0], end[1]]).toEqual(['start', 'end', start[1]]);
    }
    expect(fs.existsSync(lockPath)).toBe(false);
    expect(fs.existsSync(`${lockPath}.break`)).toBe(false);
  });

  it('recovers across processes when 8 of them find the same dead lock', async () => {
    writeLock({ pid: await deadPid(), hostname: os.hostname() });
    const lockBundle = bundle('lock', dir);
    const counter = path.join(dir, 'counter');
    const log = path.join(dir, 'log');
    fs.writeFileSync(counter, '0');
    fs.writeFileSync(log, '');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runNode(path.join(fixtures, 'lock-worker.mjs'), [lockBundle, lockPath, counter, log, '1']),
      ),
    );
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
    expect(Number(fs.readFileSync(counter, 'utf8'))).toBe(8);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i + 1]).toBe(lines[i]!.replace('start', 'end'));
    }
  });
});
