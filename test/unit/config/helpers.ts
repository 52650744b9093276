// Shared by the config tests: temp dirs, file modes, and child processes running a module of
// src/config bundled on the fly with esbuild (Node 20 cannot run .ts itself).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'msp-license-config-'));
}

export function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** Bundles `src/config/<module>.ts` into `<outDir>/<module>.mjs` and returns its path. */
export function bundle(module: string, outDir: string): string {
  const outfile = path.join(outDir, `${module}.mjs`);
  buildSync({
    entryPoints: [path.join(root, 'src/config', `${module}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return outfile;
}

/** Runs `node <script> ...args`; resolves with the exit code and stderr. */
export function runNode(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The pid of a process that has exited (for stale-lock tests). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise((resolve) => child.on('close', resolve));
  if (pid === undefined) throw new Error('spawn gave no pid');
  return pid;
}
