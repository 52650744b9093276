// Runs the BUILT CLI (bin/msp-license.js → dist/) as a child process, as a user or cron would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'msp-license.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  /** Another entry point than bin/msp-license.js (dist/main.js: the commander lane, always). */
  entry?: string;
}

/** A clean environment: nothing of the developer's shell leaks into a test. */
export function baseEnv(configDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configDir,
    MSP_LICENSE_CONFIG_DIR: configDir,
    LANG: 'C.UTF-8',
  };
}

export function runCli(configDir: string, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = { ...baseEnv(configDir) };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [options.entry ?? BIN, ...args], {
    env,
    cwd: options.cwd ?? tmpdir(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(options.input ?? '');
  return collect(child, options.timeoutMs);
}

/**
 * A spawned child's exit and everything it wrote (stdout and stderr piped), killed after
 * `timeoutMs` (default 60 s) if it has not exited by then.
 */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

export function tempDir(prefix = 'msp-license-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A config dir logged in to the sandbox non-interactively, as a user would with a Download Token file. */
export async function loginToSandbox(
  configDir: string,
  sandbox: {
    url: string;
    credentials: { clientId: string; clientSecret: string; accessToken: string; refreshToken: string };
  },
  profile = 'sandbox',
): Promise<CliResult> {
  const tokenFile = join(configDir, '..', `token-${profile}-${Date.now()}.json`);
  writeFileSync(
    tokenFile,
    JSON.stringify({
      access_token: sandbox.credentials.accessToken,
      refresh_token: sandbox.credentials.refreshToken,
      expires_in: 7200,
      token_type: 'bearer',
    }),
  );
  const result = await runCli(
    configDir,
    [
      '--profile',
      profile,
      'login',
      '--base-url',
      sandbox.url,
      '--client-id',
      sandbox.credentials.clientId,
      '--client-secret-stdin',
      '--token-file',
      tokenFile,
    ],
    { input: `${sandbox.credentials.clientSecret}\n` },
  );
  rmSync(tokenFile, { force: true });
  if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`);
  return result;
}
