// The operator's day: auth status and the keep-alive, profiles' refresh age, the history of every
// job (and how it ended), cron-friendly output (no ANSI, --quiet), and the example cron script.
// Everything runs the BUILT CLI as a child process without a terminal, as cron would.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { helpTopic } from '../../src/help-topics.js';
import { BIN, baseEnv, type CliResult, loginToSandbox, ROOT, runCli } from '../helpers/cli.js';
import {
  cleanupAll,
  expectNoSecret,
  expectTypedHistory,
  jsonError,
  profileOf,
  scratch,
  secretsOf,
  type World,
  world,
} from '../helpers/e2e.js';
import { control, requestLog } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const ANSI = /\u001b/;
const ISO_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /;

const parse = (result: CliResult) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

/** Rewrites a stored profile field (as if time had passed). */
function patchProfile(dir: string, patch: Record<string, string>, name = 'sandbox'): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  Object.assign(config.profiles[name], patch);
  writeFileSync(file, JSON.stringify(config));
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

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

describe('auth status', () => {
  test('valid credentials: exit 0, who/where/expiry/refresh age, never a secret', async () => {
    const w = await world();
    const human = await w.cli(['auth', 'status']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('profile        sandbox');
    expect(human.stdout).toContain(`gateway        ${w.sandbox.url}`);
    expect(human.stdout).toContain(`client id      ${w.sandbox.credentials.clientId}`);
    expect(human.stdout).toMatch(/access token {3}expires in \d+ min/);
    expect(human.stdout).toMatch(
      /refresh token {2}0 days old; revoked by Central after 15 days unused \(15 left\)/,
    );
    expect(human.stdout).toMatch(/status {9}valid/);
    expectNoSecret(human.stdout + human.stderr, secretsOf(w.sandbox));

    const status = parse(await w.cli(['auth', 'status', '--json']));
    expect(status).toEqual({
      profile: 'sandbox',
      gateway: w.sandbox.url,
      clientId: w.sandbox.credentials.clientId,
      source: 'profile',
      clientSecretSource: 'profile',
      accessTokenExpiresAt: expect.any(String),
      accessTokenExpiresInSeconds: expect.any(Number),
      refreshTokenIssuedAt: expect.any(String),
      refreshTokenAgeDays: 0,
      refreshTokenDaysLeft: 15,
      verified: true,
      refreshed: false,
    });
    expect(status.accessTokenExpiresInSeconds).toBeGreaterThan(3600);
  });

  test('after revocation: exit 4 with a clear message (and a JSON error with --json)', async () => {
    const w = await world();
    // Central revoked the refresh token and the access token has expired: nothing works any more.
    await control(w.sandbox, 'revoke-refresh');
    await control(w.sandbox, 'expire-tokens');
    const human = await w.cli(['auth', 'status']);
    expect(human.code).toBe(4);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/credentials of profile 'sandbox' do not work/);
    expect(human.stdout + human.stderr).not.toMatch(/status +valid/);
    expectNoSecret(human.stderr, secretsOf(w.sandbox));

    const json = await w.cli(['auth', 'status', '--json']);
    expect(json.code).toBe(4);
    expect(jsonError(json)).toMatchObject({ code: 'auth', exitCode: 4 });
  });

  test('--offline makes no call; a refresh token past 15 days is exit 4 even offline', async () => {
    const w = await world();
    const before = (await requestLog(w.sandbox)).total;
    const status = parse(await w.cli(['auth', 'status', '--offline', '--json']));
    expect(status).toMatchObject({ verified: null, refreshTokenDaysLeft: 15 });
    expect((await requestLog(w.sandbox)).total).toBe(before);

    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(13) });
    const old = await w.cli(['auth', 'status', '--offline']);
    expect(old.code).toBe(0);
    expect(old.stdout).toMatch(/13 days old.*\(2 left\)/);
    expect(old.stderr).toMatch(
      /warning: the refresh token is revoked in 2 days unless used: run 'msp-license auth refresh'/,
    );

    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(16) });
    const dead = await w.cli(['auth', 'status', '--offline']);
    expect(dead.code).toBe(4);
    expect(dead.stderr).toMatch(/16 days old: Central revokes it after 15 days unused/);
  });

  test('environment credentials: source "environment"; a rejected token is exit 4', async () => {
    const w = await world();
    const { dir } = scratch(); // no profile at all, as in CI
    const env = {
      // The live access token: the one login's verifying refresh stored.
      MSP_LICENSE_ACCESS_TOKEN: profileOf(w.dir).accessToken as string,
      MSP_LICENSE_BASE_URL: w.sandbox.url,
    };
    const ok = await w.cli(['auth', 'status'], { env: { ...env, MSP_LICENSE_CONFIG_DIR: dir } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/credentials {4}access token from MSP_LICENSE_ACCESS_TOKEN/);
    expect(ok.stdout).toMatch(/status {9}valid/);
    expectNoSecret(ok.stdout + ok.stderr, secretsOf(w.sandbox));

    const bad = await w.cli(['auth', 'status'], {
      env: { ...env, MSP_LICENSE_CONFIG_DIR: dir, MSP_LICENSE_ACCESS_TOKEN: 'not-a-valid-token-at-all' },
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/do not work/);
  });
});

describe('auth refresh (the keep-alive) and profiles', () => {
  test('persists the rotated pair: a later run that must refresh works with it', async () => {
    const w = await world();
    patchProfile(w.dir, { refreshTokenIssuedAt: daysAgo(10) });
    const before = profileOf(w.dir);
    const listed = await w.cli(['profiles']);
    expect(listed.stdout).toMatch(/\* sandbox +10d \(5d left\)/);

    const refreshed = await w.cli(['auth', 'refresh', '--json']);
    expect(parse(refreshed)).toEqual({
      profile: 'sandbox',
      gateway: w.sandbox.url,
      accessTokenExpiresAt: expect.any(String),
      refreshTokenDaysLeft: 15,
    });
    expectNoSecret(refreshed.stdout + refreshed.stderr, secretsOf(w.sandbox));
    const after = profileOf(w.dir);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(Date.parse(after?.refreshTokenIssuedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    // The sandbox forgets every access token: the next run must refresh with the stored (rotated) token.
    await control(w.sandbox, 'expire-tokens');
    const next = await w.cli(['customers', '--refresh', '--json']);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).total).toBe(6);

    const profiles = parse(await w.cli(['profiles', '--json'])).profiles;
    expect(profiles).toEqual([
      expect.objectContaining({
        name: 'sandbox',
        default: true,
        gateway: w.sandbox.url,
        hasCredentials: true,
        refreshTokenAgeDays: 0,
        refreshTokenDaysLeft: 15,
      }),
    ]);
    // The cron form: --quiet prints nothing at all on success.
    const quiet = await w.cli(['auth', 'refresh', '--quiet']);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  test('a revoked refresh token: auth refresh exits 4 and keeps the stored pair', async () => {
    const w = await world();
    const before = profileOf(w.dir);
    await control(w.sandbox, 'revoke-refresh');
    const result = await w.cli(['auth', 'refresh']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(profileOf(w.dir)?.refreshToken).toBe(before?.refreshToken);
  });
});

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
  test('assign, unassign and another profile are logged; a dry run is not; filters', async () => {
    const w = await world();
    const minted = await control(w.sandbox, 'tokens');
    await loginToSandbox(
      w.dir,
      {
        url: w.sandbox.url,
        credentials: {
          ...w.sandbox.credentials,
          accessToken: minted.access_token,
          refreshToken: minted.refresh_token,
        },
      },
      'other',
    );
    const [a, b] = w.ids as [string, string];
    expect((await w.cli(['-p', 'sandbox', 'assign', '-s', 'foundation_ap', '--include', a])).code).toBe(0);
    expect(
      (await w.cli(['-p', 'sandbox', 'assign', '-s', 'foundation_ap', '--include', b, '--dry-run'])).code,
    ).toBe(0);
    expect(
      (
        await w.cli([
          '-p',
          'other',
          'assign',
          '-s',
          'foundation_ap',
          '--exclude',
          a,
          '--wait',
          '--interval',
          '1s',
        ])
      ).code,
    ).toBe(0);
    expect(
      (await w.cli(['-p', 'sandbox', 'unassign', '-s', 'foundation_ap', '--include', a, '--yes'])).code,
    ).toBe(0);

    const entries = await historyOf(w);
    expect(entries.map((e) => [e.profile, e.verb, e.outcome])).toEqual([
      ['sandbox', 'assign', 'accepted'],
      ['other', 'assign', 'done'],
      ['sandbox', 'unassign', 'accepted'],
    ]);
    expect(entries[0]).toMatchObject({
      gateway: w.sandbox.url,
      services: ['foundation_ap'],
      scope: { mode: 'include', customersInScope: 1, listed: [a] },
      requests: [{ status: 'accepted' }],
      finishedAt: expect.any(String),
    });
    expect(entries[1]).toMatchObject({
      scope: { mode: 'exclude', customersInScope: 5, listed: [a] },
      counts: { done: expect.any(Number), needed: expect.any(Number) },
    });
    expect(entries[1]?.counts?.done).toBe(entries[1]?.counts?.needed);
    for (const e of entries) expect(e.error).toBeUndefined();

    // Filters: --profile (and MSP_LICENSE_PROFILE), --limit, --since.
    expect((await historyOf(w, ['--profile', 'other'])).map((e) => e.verb)).toEqual(['assign']);
    const viaEnv = parse(await w.cli(['history', '--json'], { env: { MSP_LICENSE_PROFILE: 'sandbox' } }));
    expect(viaEnv.entries.map((e: HistoryEntry) => e.verb)).toEqual(['assign', 'unassign']);
    expect((await historyOf(w, ['--limit', '1'])).map((e) => e.verb)).toEqual(['unassign']);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await historyOf(w, ['--since', tomorrow])).toEqual([]);
    const bad = await w.cli(['history', '--since', 'last tuesday']);
    expect(bad.code).toBe(2);

    // The human listing: one line per job, plain text without a terminal.
    const human = await w.cli(['history']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /sandbox +assign +foundation_ap {2}include 1 \(1 in scope, 1 request\) {2}accepted$/,
    );
    expect(lines[1]).toMatch(
      /other +assign +foundation_ap {2}exclude 1 \(5 in scope, 1 request\) {2}done \d+\/\d+ devices$/,
    );
    expect(lines[2]).toMatch(/unassign/);

    const text = readFileSync(join(w.dir, 'history.jsonl'), 'utf8');
    expectNoSecret(text, secretsOf(w.sandbox));
    expectNoSecret(text, [minted.access_token, minted.refresh_token]);
    expectTypedHistory(w.dir);
  });

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
    const sh = (args: string[], extra: Record<string, string> = {}, wrapper: string[] = []) =>
      new Promise<CliResult>((resolve) => {
        const [command = 'bash', ...rest] = [...wrapper, 'bash', script, ...args];
        const child = spawn(command, rest, {
          env: { ...env, ...extra },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => {
          stdout += d;
        });
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });

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
