// What a person sees and types on a terminal: the confirmation prompt and interactive login,
// in a real pseudo-terminal.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToSandbox, tempDir } from '../helpers/cli.js';
import { plain, runInPty } from '../helpers/pty.js';
import { mutatingCalls, type Sandbox, start } from '../helpers/sandbox.js';

describe('on a terminal', () => {
  let sandbox: Sandbox;
  let home: { dir: string; cleanup: () => void };
  let config: string;
  let ids: string[];

  beforeAll(async () => {
    sandbox = await start({ customers: 6, devices: 60 });
    home = tempDir();
    config = join(home.dir, 'config');
    await loginToSandbox(config, sandbox);
    ids = sandbox.estate.customers.map((c) => c.customer_id);
  });
  afterAll(async () => {
    await sandbox.close();
    home.cleanup();
  });

  it('shows the plan and sends nothing when the user declines (exit 3)', async () => {
    const before = (await mutatingCalls(sandbox)).length;
    const { code, screen } = await runInPty(
      config,
      ['assign', '--services', 'foundation_ap', '--exclude', ids[0]!],
      {
        input: ['n\r'],
      },
    );
    const text = plain(screen);
    expect(code).toBe(3);
    expect(text).toContain('Assign foundation_ap');
    expect(text).toContain('all but');
    expect(text).toMatch(/Assign these licenses now\? \[y\/N\]/);
    expect(text).toContain('Cancelled');
    expect((await mutatingCalls(sandbox)).length).toBe(before);
  });

  it('Ctrl-C at the prompt is an interruption (exit 130), and nothing is sent', async () => {
    const before = (await mutatingCalls(sandbox)).length;
    const { code, screen } = await runInPty(
      config,
      ['assign', '--services', 'foundation_ap', '--include', ids[2]!],
      {
        input: ['\u0003'],
      },
    );
    expect(code, plain(screen)).toBe(130);
    expect(plain(screen)).toContain('Interrupted at the prompt: nothing was sent.');
    expect((await mutatingCalls(sandbox)).length).toBe(before);
  });

  it('sends the job once the user says yes', async () => {
    const before = (await mutatingCalls(sandbox)).length;
    const { code, screen } = await runInPty(
      config,
      ['unassign', '--services', 'foundation_ap', '--include', ids[1]!],
      {
        input: ['y\r'],
      },
    );
    expect(code, plain(screen)).toBe(0);
    expect(plain(screen)).toContain('Remove these licenses now?');
    const calls = await mutatingCalls(sandbox);
    expect(calls.length).toBe(before + 1);
    expect(calls.at(-1)).toMatchObject({
      method: 'DELETE',
      body: { services: ['foundation_ap'], include_customers: [ids[1]] },
    });
  });

  it('shows a spinner with live progress during --wait and restores the cursor', async () => {
    const { code, screen } = await runInPty(config, [
      'assign',
      '--services',
      'foundation_ap',
      '--all-customers',
      '--yes',
      '--wait',
      '--interval',
      '1s',
    ]);
    expect(code, plain(screen)).toBe(0);
    expect(screen).toContain('\u001b[?25l'); // cursor hidden while spinning
    expect(screen).toContain('\u001b[?25h'); // and shown again
    expect(plain(screen)).toMatch(/✔ done: [\d,]+ \/ [\d,]+ devices, 100%/);
  });

  it('logs in interactively: hidden secret, pasted token JSON, verified with one call', async () => {
    const fresh = join(home.dir, 'interactive');
    const token = JSON.stringify({
      access_token: (await (await fetch(`${sandbox.url}/__sandbox/tokens`, { method: 'POST' })).json())
        .access_token,
      expires_in: 7200,
      token_type: 'bearer',
    });
    const secret = sandbox.credentials.clientSecret;
    const { code, screen } = await runInPty(fresh, ['--profile', 'tty', 'login'], {
      input: [`${sandbox.url}\r`, `${sandbox.credentials.clientId}\r`, `${secret}\r`, `${token}\r`, '\r'],
    });
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text).toContain('Cluster name or gateway URL');
    expect(text).toContain('Client secret (hidden)');
    expect(text).toContain("Logged in: profile 'tty'");
    expect(text).not.toContain(secret); // never echoed
    const stored = JSON.parse(readFileSync(join(fresh, 'config.json'), 'utf8'));
    expect(stored.profiles.tty.clientSecret).toBe(secret);
    expect(statSync(join(fresh, 'config.json')).mode & 0o777).toBe(0o600);
  });
});
