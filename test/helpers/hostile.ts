// Hostile ground for the security tests: a node:http server of the test's own on 127.0.0.1 (it
// answers whatever the test scripts: escape sequences, lies in `total`, huge or dripping bodies),
// a hand-written config dir, and a run of the built CLI bounded in memory and time.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, baseEnv } from './cli.js';

export interface Hostile {
  url: string;
  port: number;
  /** Every request seen: `METHOD /path?query`. */
  seen: string[];
  close: () => Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function hostileServer(handler: Handler): Promise<Hostile> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.on('error', () => {});
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        seen,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const SECRET = {
  clientId: 'hostile-client-id',
  clientSecret: 'cs-4f8a2b9c7d1e6f3a5b8c9d0e1f2a3b4c',
  accessToken: 'at-9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e',
  refreshToken: 'rt-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
};

/** A config dir (0700) with one profile `p` for `baseUrl`; `expired` forces a refresh first. */
export function writeProfile(dir: string, baseUrl: string, options: { expired?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const file = join(dir, 'config.json');
  const text = `${JSON.stringify(
    {
      version: 1,
      defaultProfile: 'p',
      profiles: {
        p: {
          baseUrl,
          clientId: SECRET.clientId,
          clientSecret: SECRET.clientSecret,
          accessToken: SECRET.accessToken,
          accessTokenExpiresAt: new Date(now + (options.expired ? -3_600_000 : 3_600_000)).toISOString(),
          refreshToken: SECRET.refreshToken,
          refreshTokenIssuedAt: new Date(now).toISOString(),
          createdAt: new Date(now).toISOString(),
          updatedAt: new Date(now).toISOString(),
        },
      },
    },
    null,
    2,
  )}\n`;
  writeFileSync(file, text, { mode: 0o600 });
  return text;
}

export const readText = (file: string): string => readFileSync(file, 'utf8');

/** The bounds: a run that passes 300 MB of memory or 30 s of time is a failure. */
export const MAX_RSS_MB = 300;
export const MAX_RUN_MS = 30_000;

export interface BoundedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Highest resident set size seen (VmHWM of /proc, sampled), in MB. */
  peakRssMb: number;
  ms: number;
  /** Why the harness killed it, if it did. */
  killed?: 'memory' | 'time';
}

export interface BoundedOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** stdin left open (a run that would wait on it) instead of ended with `input`. */
  keepStdinOpen?: boolean;
  /** A command that execs the CLI (e.g. setpriv, to run it as another user). */
  prefix?: string[];
  /** stdin read from this file (e.g. /dev/zero) instead of `input`. */
  stdinPath?: string;
  /** Called once the child runs (e.g. to send it a signal later). */
  onSpawn?: (child: ChildProcess) => void;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status) ?? /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the built CLI; kills it (SIGKILL) past MAX_RSS_MB or MAX_RUN_MS and says which. */
export function runBounded(
  configDir: string,
  args: string[],
  options: BoundedOptions = {},
): Promise<BoundedResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...baseEnv(configDir) };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const started = Date.now();
    const stdinFd = options.stdinPath ? openSync(options.stdinPath, 'r') : undefined;
    const [file, ...rest] = [...(options.prefix ?? []), process.execPath, BIN, ...args] as [
      string,
      ...string[],
    ];
    const child = spawn(file, rest, {
      env,
      cwd: tmpdir(),
      stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'],
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let killed: BoundedResult['killed'];
    child.stdout?.on('data', (d) => {
      if (stdout.length < 1_000_000) stdout += d;
    });
    child.stderr?.on('data', (d) => {
      if (stderr.length < 1_000_000) stderr += d;
    });
    const sample = setInterval(() => {
      if (child.pid === undefined) return;
      peak = Math.max(peak, rssMb(child.pid));
      if (peak > MAX_RSS_MB) {
        killed = 'memory';
        child.kill('SIGKILL');
      } else if (Date.now() - started > MAX_RUN_MS) {
        killed = 'time';
        child.kill('SIGKILL');
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sample);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        peakRssMb: Math.round(peak),
        ms: Date.now() - started,
        killed,
      });
    });
    child.stdin?.on('error', () => {});
    if (!options.keepStdinOpen) child.stdin?.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}

/** Sends `signal` after `afterMs` (the run is then inside its wait). */
export function signalAfter(signal: NodeJS.Signals, afterMs: number): (child: ChildProcess) => void {
  return (child) => {
    setTimeout(() => child.kill(signal), afterMs);
  };
}

/** Streams `total` bytes of `chunk` (respecting backpressure) until done or the client leaves. */
export function stream(
  res: ServerResponse,
  chunk: Buffer,
  total: number,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  let sent = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const pump = () => {
    while (!gone && sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!gone) res.end();
  };
  pump();
}

/** Writes `piece` every `everyMs` until the client leaves (a body that never ends). */
export function drip(
  res: ServerResponse,
  piece: string,
  everyMs: number,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.write('{"customers":[');
  const timer = setInterval(() => res.write(piece), everyMs);
  res.on('close', () => clearInterval(timer));
}
