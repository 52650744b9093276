// Shared set-up for the main-*.test.ts end-to-end files: a sandbox, a logged-in config dir, and
// small readers of what the user would see on disk. Call `afterEach(cleanupAll)` in each file.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readHistoryEvents } from '../../src/config/history.js';
import type { SandboxOptions } from '../../src/sandbox/server.js';
import { type CliResult, loginToSandbox, runCli, tempDir } from './cli.js';
import { type Sandbox, start } from './sandbox.js';

export const TOKEN_PATH = 'POST /oauth2/token';
export const SERVICES_V1 = '/platform/licensing/v1/services/config';
export const SERVICES_V2 = '/platform/licensing/v2/services/config';

const cleanups: Array<() => Promise<void> | void> = [];

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) await cleanups.pop()?.();
}

export interface World {
  sandbox: Sandbox;
  /** The config dir (MSP_LICENSE_CONFIG_DIR, HOME), 0700, logged in to the sandbox as profile 'sandbox'. */
  dir: string;
  /** Its parent, a scratch dir for token files and lists. */
  root: string;
  ids: string[];
  names: string[];
  cli: (args: string[], options?: Parameters<typeof runCli>[2]) => Promise<CliResult>;
}

/** A sandbox of 6 customers / 150 devices unless told otherwise; closed by cleanupAll. */
export async function sandboxOnly(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await start({ customers: 6, devices: 150, ...options });
  cleanups.push(() => sandbox.close());
  return sandbox;
}

/** A scratch root and a config dir path inside it (not created). */
export function scratch(): { root: string; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { root: t.dir, dir: join(t.dir, 'config') };
}

export async function world(options: SandboxOptions = {}): Promise<World> {
  const sandbox = await sandboxOnly(options);
  const { root, dir } = scratch();
  mkdirSync(dir, { mode: 0o700 });
  await loginToSandbox(dir, sandbox);
  return {
    sandbox,
    dir,
    root,
    ids: sandbox.estate.customers.map((c) => c.customer_id),
    names: sandbox.estate.customers.map((c) => c.customer_name),
    cli: (args, opts) => runCli(dir, args, opts),
  };
}

export function secretsOf(sandbox: Sandbox): string[] {
  const { clientSecret, accessToken, refreshToken } = sandbox.credentials;
  return [clientSecret, accessToken, refreshToken];
}

/** A profile as config.json holds it. */
export function profileOf(dir: string, name = 'sandbox'): Record<string, string | undefined> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  return config.profiles?.[name];
}

export function expectNoSecret(text: string, secrets: Array<string | undefined>): void {
  for (const secret of secrets) {
    expect(secret?.length).toBeGreaterThan(8);
    expect(text).not.toContain(secret);
  }
}

/** Every path under `dir`, recursively. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) out.push(...walk(full));
  }
  return out;
}

export const mode = (path: string): number => statSync(path).mode & 0o777;

/** The single JSON error object of a failed --json run (asserting stdout is empty). */
export function jsonError(result: CliResult): {
  code: string;
  message: string;
  exitCode: number;
  retryable: boolean;
} {
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const parsed = JSON.parse(lines[0] as string);
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error).toMatchObject({
    code: expect.any(String),
    message: expect.any(String),
    exitCode: result.code,
    retryable: expect.any(Boolean),
  });
  return parsed.error;
}

export type PerCustomer = Record<string, Record<string, { eligible: number; licensed: number }>>;

export const statusLines = (requests: Array<{ method: string; path: string; status: number }>): string[] =>
  requests.map((r) => `${r.method} ${r.path} ${r.status}`);

/**
 * The `sent` and `result` lines the built CLI wrote to the history read back whole as the typed
 * events of src/config/history.ts: the writer's records fit the readers' types.
 */
export function expectTypedHistory(dir: string): void {
  const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { event: string })
    .filter((record) => record.event === 'sent' || record.event === 'result');
  expect(lines.length).toBeGreaterThan(0);
  expect(readHistoryEvents(dir).events).toEqual(lines);
}
