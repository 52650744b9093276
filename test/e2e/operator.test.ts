// The operator's day, where a process is what shows it: how an interrupted or failed job ends in
// the history, cron-friendly output (no ANSI, --quiet), the example cron script, --help. Everything
// runs the BUILT CLI as a child process without a terminal, as cron would. auth status, the
// keep-alive, profiles and the history listing are tested in-process: test/unit/commands/.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { helpTopic } from '../../src/help-topics.js';
import { BIN, baseEnv, type CliResult, collect, ROOT, runCli } from '../helpers/cli.js';
import {
  cleanupAll,
  expectNoSecret,
  expectTypedHistory,
  scratch,
  secretsOf,
  type World,
  world,
} from '../helpers/e2e.js';

afterEach(cleanupAll);

const ANSI = /\u001b/;
const ISO_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /;

const parse = (result: CliResult) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

/** Rewrites a stored profile field (as if time had passed). */
function _patchProfile(dir: string, patch: Record<string, string>, name = 'sandbox'): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(config.profiles[name], patch);
  writeFileSync(file, JSON.stringify(config));
}

const _daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

interface HistoryEntry {
  id: string;
  time: string;
  profile: string | null;
  gateway: string;
  verb: string;
  services: string[];
  scope?: { mode: string; customersInScope: number; listed: string[] };
  outcome: string;
  requests?: Array<{ status: string }>;
  counts?: { done: number; needed: number | null };
  error?: string;
  finishedAt?: string;
}

async function historyOf(w: World, args: string[] = []): Promise<HistoryEntry[]> {
  return parse(await w.cli(['history', '--json', ...args])).entries;
}

/** Runs the built CLI and sends SIGINT once stderr shows `when`. */
function runAndInterrupt(w: World, args: string[], when: RegExp): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: baseEnv(w.dir),
      cwd: w.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('history', () => {
  test('a stalled wait is logged as stalled with its counts', async () => {
    const w = await world({ licenses: { foundation_ap: 10 }, preLicensed: 0 });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(result.code, result.stderr).toBe(7);
    const [entry] = await historyOf(w);
    expect(entry).toMatchObject({ outcome: 'stalled', counts: { done: 10 } });
    expect(entry?.counts?.needed).toBeGreaterThan(10);
    expectTypedHistory(w.dir);
  });

  test('an interrupted wait (Ctrl-C) exits 130 and is logged as interrupted', async () => {
    const w = await world({ jobSpeed: 2, devices: 300, preLicensed: 0 });
    const result = await runAndInterrupt(
      w,
      ['assign', '-s', 'foundation_ap', '--all-customers', '--wait', '--interval', '1s'],
      /waiting for the job/,
    );
    expect(result.code, result.stderr).toBe(130);
    const [entry] = await historyOf(w);
    expect(entry).toMatchObject({
      outcome: 'interrupted',
      requests: [{ status: 'accepted' }],
      error: expect.stringMatching(/nterrupted/),
    });
    expectTypedHistory(w.dir);
  });

  test('a failed request is logged as failed with the (redacted) error', async () => {
    // A gateway that takes no customer list at all: 413 even for one id, which cannot be split.
    const w = await world({ maxIdsPerRequest: 0 });
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(result.code, result.stderr).toBe(1);
    const [entry] = await historyOf(w);
    expect(entry).toMatchObject({
      outcome: 'failed',
      requests: expect.arrayContaining([expect.objectContaining({ httpStatus: 413 })]),
      error: expect.any(String),
    });
    expect(entry?.error).toMatch(/413|too large|size/i);
    const human = await w.cli(['history']);
    expect(human.stdout).toMatch(/failed\n {4}\S/);
    expectTypedHistory(w.dir);
    expectNoSecret(readFileSync(join(w.dir, 'history.jsonl'), 'utf8'), secretsOf(w.sandbox));
  });
});

describe('without a terminal (cron)', () => {
  test('no ANSI escape anywhere, timestamped progress, even with TERM set', async () => {
    const w = await world({ preLicensed: 0 });
    const env = { TERM: 'xterm-256color' };
    const runs: CliResult[] = [];
    for (const args of [
      ['auth', 'status'],
      ['profiles'],
      ['customers'],
      ['assign', '-s', 'foundation_ap', '--all-customers', '--dry-run'],
      ['assign', '-s', 'foundation_ap', '--exclude', w.ids[0] as string, '--wait', '--interval', '1s'],
      ['status', '-s', 'foundation_ap', '--all-customers'],
      ['history'],
      ['assign', '-s', 'foundation_zz', '--all-customers'],
      ['unassign', '-s', 'foundation_ap', '--all-customers'],
      ['help', 'cron'],
      ['--help'],
    ]) {
      runs.push(await w.cli(args, { env }));
    }
    for (const run of runs) {
      expect(run.stdout).not.toMatch(ANSI);
      expect(run.stderr).not.toMatch(ANSI);
    }
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0]);
    const progress = runs[4]?.stderr.trim().split('\n') ?? [];
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line).toMatch(ISO_LINE);
    // A line of its own: back-to-back runs may share a second's rate budget, and a retry notice
    // ("retrying after HTTP 429") can come first.
    expect(runs[7]?.stderr).toMatch(/^Error: Unknown service/m);
  });

  test('--quiet prints only errors (and the answers asked for)', async () => {
    const w = await world({ preLicensed: 0 });
    const ok = await w.cli([
      '--quiet',
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // A list is the answer asked for: quiet silences noise, not answers (issue 10).
    const listing = await w.cli(['customers', '-q']);
    expect(listing).toMatchObject({ code: 0, stderr: '' });
    expect(listing.stdout).toMatch(/^CUSTOMER ID/);
    const failed = await w.cli(['-q', 'assign', '-s', 'foundation_zz', '--all-customers']);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^Error: Unknown service/);
    // Every report and every dry run's plan is an answer too.
    for (const args of [
      ['autolicense', 'status', '--all-customers', '--yes'],
      ['autolicense', 'enable', '-s', 'foundation_ap', '--include', w.ids[0] as string, '--dry-run'],
      ['autolicense', 'disable', '-s', 'foundation_ap', '--include', w.ids[0] as string, '--dry-run'],
      ['auth', 'status', '--offline'],
      ['unassign', '-s', 'foundation_ap', '--include', w.ids[0] as string, '--dry-run'],
    ]) {
      const answer = await w.cli(['-q', ...args]);
      expect(answer.code, `${args.join(' ')}: ${answer.stderr}`).toBe(0);
      expect(answer.stdout.trim().length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  test('examples/cron-nightly.sh: a run and the keep-alive, logged; an alert only when needed', async () => {
    const w = await world({ preLicensed: 0 });
    const script = join(ROOT, 'examples', 'cron-nightly.sh');
    const log = join(w.root, 'cron.log');
    const env = {
      ...baseEnv(w.dir),
      MSP_LICENSE: BIN,
      MSP_LICENSE_PROFILE: 'sandbox',
      EXCLUDE: `${w.ids[0]},${w.ids[1]}`,
      LOG: log,
      LOCK: join(w.root, 'cron.lock'),
      INTERVAL: '1s',
      TIMEOUT: '2m', // timeout / interval polls must fit the day's API budget
    };
    const sh = (args: string[], extra: Record<string, string> = {}, wrapper: string[] = []) => {
      const [command = 'bash', ...rest] = [...wrapper, 'bash', script, ...args];
      // No kill before the test's own timeout: the script waits for its job (TIMEOUT above).
      const child = spawn(command, rest, { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      return collect(child, 600_000);
    };

    const nightly = await sh([]);
    expect(nightly, readFileSync(log, 'utf8')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const keepalive = await sh(['keepalive']);
    expect(keepalive).toMatchObject({ code: 0, stdout: '' });
    const wrong = await sh([], { SERVICES: 'foundation_zz' });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/the command line is wrong/);
    // Last night's run still holds the lock: this one is skipped, quietly.
    const overlapping = await sh([], {}, ['flock', env.LOCK]);
    expect(overlapping).toMatchObject({ code: 0, stdout: '' });

    const text = readFileSync(log, 'utf8');
    expect(text).toMatch(/\[cron-nightly\] assign --services foundation_ap --exclude/);
    expect(text).toMatch(/Assignment of foundation_ap accepted for 4 customers/);
    expect(text).toMatch(/\[cron-nightly\] auth refresh\n.*exit 0/);
    expect(text).toMatch(/skipped: a previous run still holds/);
    expect(text).not.toMatch(ANSI);
    expectNoSecret(text, secretsOf(w.sandbox));
    expect((await historyOf(w)).map((e) => e.outcome)).toEqual(['done']);
  });
});

describe('help that answers questions', () => {
  test('every command has examples in its --help', () => {
    const missing: string[] = [];
    const visit = (command: Command, path: string[]) => {
      for (const child of command.commands) {
        const name = child.name();
        if (name.startsWith('__')) continue;
        let text = '';
        child.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
        child.outputHelp();
        if (!/\nExamples:\n {2}\$ msp-license /.test(text)) missing.push([...path, name].join(' '));
        visit(child, [...path, name]);
      }
    };
    visit(buildProgram(), []);
    expect(missing).toEqual([]);
  });

  test('help topics: exit codes, environment, cron', async () => {
    const exitCodes = helpTopic('exit-codes') ?? '';
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 8, 130])
      expect(exitCodes).toMatch(new RegExp(`^  ${code} `, 'm'));
    const environment = helpTopic('environment') ?? '';
    for (const name of [
      'MSP_LICENSE_PROFILE',
      'MSP_LICENSE_CONFIG_DIR',
      'MSP_LICENSE_BASE_URL',
      'MSP_LICENSE_ACCESS_TOKEN',
      'NO_COLOR',
    ])
      expect(environment).toContain(name);
    const cron = helpTopic('cron') ?? '';
    expect(cron).toMatch(/flock -n .* assign/);
    expect(cron).toMatch(/auth refresh --quiet/);
    expect(cron).toMatch(/Logs:/);
    for (const code of ['7 ', '8 ', '4 ', '2 ']) expect(cron).toContain(`    ${code}`);
    // The same text from the built CLI, without a terminal: plain, on stdout, exit 0.
    const { dir } = scratch();
    const built = await runCli(dir, ['help', 'cron']);
    expect(built).toMatchObject({ code: 0, stdout: cron, stderr: '' });
  });
});
