// What only a process shows for plan / apply: the exit code 10 of `plan --check` with its stderr
// lines and the --json diff, the prompt on a terminal (declined: nothing sent), the refusal
// without a terminal, and --resume of a stopped apply. The built CLI against the sandbox.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToSandbox, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { plain, runInPty } from '../helpers/pty.js';
import { clearLog, requestLog, type Sandbox, setFaults, start } from '../helpers/sandbox.js';

const POLICY = join(ROOT, 'examples', 'licensing.yaml');

async function mutations(sandbox: Sandbox) {
  const log = await requestLog(sandbox);
  return log.requests.filter(
    (r) => (r.method === 'POST' || r.method === 'DELETE') && !r.path.startsWith('/oauth2'),
  );
}

describe('plan and apply as a process', () => {
  let sandbox: Sandbox;
  let home: { dir: string; cleanup: () => void };
  let config: string;

  beforeAll(async () => {
    sandbox = await start({ customers: 20, devices: 300, rateLimit: { perDay: 1_000_000 } });
    home = tempDir();
    config = join(home.dir, 'config');
    await loginToSandbox(config, sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
    home.cleanup();
  });

  it('plan --check --json: exit 10, one stderr line per drifted customer, the whole diff on stdout', async () => {
    const r = await runCli(config, ['plan', '-f', POLICY, '--check', '--json']);
    expect(r.code, r.stderr).toBe(10);
    const out = JSON.parse(r.stdout);
    expect(out.inSync).toBe(false);
    expect(out.drift.length).toBeGreaterThan(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('drift: '));
    expect(lines).toHaveLength(out.drift.length);
    expect(lines[0]).toContain(out.drift[0].id);
  });

  it('plan --check --quiet (the cron form): exit 10 and still the drift lines on stderr, nothing else', async () => {
    const r = await runCli(config, ['plan', '-f', POLICY, '--check', '--quiet']);
    expect(r.code, r.stderr).toBe(10);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(
      lines.every((l) => l.startsWith('drift: ')),
      r.stderr,
    ).toBe(true);
  });

  it('apply -f without a terminal and without --yes: exit 2 before reading the state (no stats call)', async () => {
    await clearLog(sandbox);
    const r = await runCli(config, ['apply', '-f', POLICY]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('without a terminal it needs --yes');
    const log = await requestLog(sandbox);
    expect(log.requests.filter((q) => q.path.includes('subscriptions/stats'))).toEqual([]);
  });

  it('apply --wait with --stall-after shorter than --interval: exit 2 before any call', async () => {
    // Each job checks the wait's durations too, but one that does not wait (an auto-licensing
    // disable) would be sent before a later job stopped the apply half done.
    await clearLog(sandbox);
    const r = await runCli(config, ['apply', '-f', POLICY, '--yes', '--wait', '--stall-after', '10s']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--stall-after (10s) is shorter than --interval (15s)');
    expect((await requestLog(sandbox)).requests).toEqual([]);
  });

  it('apply declined at the prompt (terminal): exit 3, nothing mutating sent', async () => {
    await clearLog(sandbox);
    const { code, screen } = await runInPty(config, ['apply', '-f', POLICY], {
      input: ['n\r'],
      delayMs: 15_000,
      timeoutMs: 90_000,
    });
    const text = plain(screen);
    expect(code, text).toBe(3);
    expect(text).toMatch(/Plan: \d+ jobs/);
    expect(text).toMatch(/Run \d+ jobs now\? \[y\/N\]/);
    expect(text).toContain('Cancelled');
    expect(await mutations(sandbox)).toEqual([]);
  }, 120_000);

  it('apply without a terminal needs --yes (exit 2) and sends nothing', async () => {
    await clearLog(sandbox);
    const r = await runCli(config, ['apply', '-f', POLICY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('without a terminal it needs --yes');
    expect(await mutations(sandbox)).toEqual([]);
  });

  it('a stopped apply is resumed from its record: only the jobs not done are sent', async () => {
    const AUTO = '/platform/licensing/v1/msp/customer/settings/autolicense';
    // Enabling auto-licensing fails (500s past the retries): the unassign job goes through first.
    await setFaults(sandbox, { status5xx: 1000, match: `POST ${AUTO}` });
    await clearLog(sandbox);
    const r1 = await runCli(config, ['apply', '-f', POLICY, '--yes'], { timeoutMs: 120_000 });
    expect(r1.code, r1.stderr).toBe(1);
    expect(r1.stderr).toMatch(/apply stopped at job 2 of 3/);
    expect(r1.stderr).toMatch(/msp-license apply --resume [a-z0-9-]+/);
    const records = readdirSync(join(config, 'apply-runs'));
    expect(records).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(config, 'apply-runs', records[0]!), 'utf8'));
    expect(record.jobs.map((j: { action: string; status: string }) => [j.action, j.status])).toEqual([
      ['unassign', 'done'],
      ['autolicense-enable', 'failed'],
      ['autolicense-enable', 'pending'],
    ]);

    await setFaults(sandbox, {});
    await clearLog(sandbox);
    const r2 = await runCli(config, ['apply', '--resume', '--yes']);
    expect(r2.code, r2.stderr).toBe(0);
    const sent = await mutations(sandbox);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${AUTO}`, `POST ${AUTO}`]);
    const check = await runCli(config, ['plan', '-f', POLICY, '--check']);
    expect(check.code, check.stderr).toBe(0);
    const r3 = await runCli(config, ['apply', '--resume', '--yes']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('No unfinished apply of this profile and gateway to resume');
  }, 240_000);

  it('help exit-codes documents 10 = drift', async () => {
    const r = await runCli(config, ['help', 'exit-codes']);
    expect(r.stdout).toMatch(/10\s+.*drift/);
  });
});
