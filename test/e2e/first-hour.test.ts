// Issue 10, "nothing lost, no false success, every message true": what a new operator hit in the
// first hour, each against the BUILT CLI as a child process (the sandbox on 127.0.0.1, real temp
// config dirs), in pipes and in a pseudo-terminal.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, baseEnv, type CliResult, ROOT, runCli } from '../helpers/cli.js';
import { cleanupAll, jsonError, profileOf, sandboxOnly, scratch, type World, world } from '../helpers/e2e.js';
import { liveCli } from '../helpers/live.js';
import { plain, runInPty } from '../helpers/pty.js';
import { mutatingCalls, setFaults } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const lines = (text: string) => text.split('\n').filter(Boolean);

/** A config dir holding one profile logged in to a real (https) gateway, as the default. */
function realProfileDir(): { dir: string; root: string; config: string } {
  const { root, dir } = scratch();
  mkdirSync(dir, { mode: 0o700 });
  const now = new Date().toISOString();
  const config = `${JSON.stringify({
    version: 1,
    defaultProfile: 'prod',
    profiles: {
      prod: {
        baseUrl: 'https://apigw-prod2.central.arubanetworks.com',
        clientId: 'real-client-id',
        clientSecret: 'real-client-secret-0123456789',
        accessToken: 'real-access-token-0123456789',
        accessTokenExpiresAt: now,
        refreshToken: 'real-refresh-token-0123456789',
        refreshTokenIssuedAt: now,
        createdAt: now,
        updatedAt: now,
      },
    },
  })}\n`;
  writeFileSync(join(dir, 'config.json'), config, { mode: 0o600 });
  return { dir, root, config };
}

/** `msp-license sandbox …` in the background, as `&` would start it; resolves on its first line. */
async function backgroundSandbox(dir: string, args: string[]): Promise<{ first: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], {
    env: baseEnv(dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => child.kill('SIGKILL');
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  return { first, stop };
}

describe('bug 1: sandbox --write-profile never replaces a profile it did not write', () => {
  test('a real gateway’s profile is refused (exit 2, the way out), config.json byte for byte kept', async () => {
    const { dir, config } = realProfileDir();
    const result = await runCli(dir, ['sandbox', '--write-profile', 'prod']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      "Error: Profile 'prod' exists and was not written by the sandbox (gateway https://apigw-prod2.central.arubanetworks.com): not replacing it.",
      "  Give the sandbox's profile another name (--write-profile sandbox), or remove that one first: msp-license logout --profile prod --remove",
    ]);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(config);
  });

  test('its own profile is replaced by the next sandbox; the real default stays the default', async () => {
    const { dir } = realProfileDir();
    const first = await backgroundSandbox(dir, ['--json', '--write-profile']);
    first.stop();
    const second = await backgroundSandbox(dir, ['--json', '--write-profile']);
    try {
      const url = JSON.parse(second.first).url;
      expect(profileOf(dir, 'sandbox')).toMatchObject({ baseUrl: url, sandbox: true });
      const stored = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      expect(stored.defaultProfile).toBe('prod');
      expect(stored.profiles.prod.refreshToken).toBe('real-refresh-token-0123456789');
    } finally {
      second.stop();
    }
  });
});

describe('bug 6: --json keeps its contract on usage errors', () => {
  test.each([
    [['--json', 'assign', '--bogus'], /Unknown option '--bogus'/, 'assign'],
    [['--json', 'frobnicate'], /Unknown command 'frobnicate'/, ''],
    [['--json', 'completion'], /Missing required argument 'shell'/, 'completion'],
    [['--json', 'auth', 'status', '--offlne'], /Unknown option '--offlne'/, 'auth status'],
  ])('%j: one {"error":{…}} on stderr, exit 2', async (args, message, command) => {
    const { dir } = scratch();
    const result = await runCli(dir, args);
    expect(result.code).toBe(2);
    const error = jsonError(result);
    expect(error).toMatchObject({ code: 'usage', exitCode: 2, retryable: false });
    expect(error.message).toMatch(message);
    expect((error as { hint?: string }).hint).toContain(
      `Run 'msp-license${command ? ` ${command}` : ''} --help' for usage.`,
    );
  });

  test('a bad flag is reported as the bad flag, not as a missing --services', async () => {
    const { dir } = scratch();
    const result = await runCli(dir, ['assign', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Unknown option '--bogus'\./);
    expect(result.stderr).not.toMatch(/services/);
    expect(result.stderr).toContain("Run 'msp-license assign --help' for usage.");
  });

  test('commander messages read like ours: "Error:", the suggestion, the command’s own help', async () => {
    const { dir } = scratch();
    const result = await runCli(dir, ['custmers']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      "Error: Unknown command 'custmers'.",
      "  Did you mean customers? Run 'msp-license --help' for usage.",
    ]);
  });

  test('a missing --services is still exit 2, with the way out (and as JSON under --json)', async () => {
    const { dir } = scratch();
    const human = await runCli(dir, ['assign', '--all-customers']);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^Error: --services is required\./);
    expect(human.stderr).toMatch(/--services foundation_ap/);
    const json = await runCli(dir, ['--json', 'unassign', '--all-customers', '--yes']);
    expect(jsonError(json)).toMatchObject({
      code: 'missing_services',
      message: expect.stringMatching(/--services/),
    });
  });
});

describe('bug 7: customer names with a comma, and in decomposed Unicode', () => {
  const names = ['Comma, Inc.', 'Café Zürich', 'Plain One', 'Plain Two'];

  test('--include "Comma, Inc." names that one customer; a comma list still works', async () => {
    const w = await world({ customerNames: names });
    const one = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      'Comma, Inc.',
      '--dry-run',
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).scope.customers).toEqual([{ id: w.ids[0], name: 'Comma, Inc.' }]);

    const both = await w.cli([
      '--json',
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `Plain One,${w.ids[3]}`,
      '--include',
      'comma, inc.',
      '--dry-run',
    ]);
    expect(both.code, both.stderr).toBe(0);
    expect(
      JSON.parse(both.stdout)
        .scope.customers.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([w.ids[0], w.ids[2], w.ids[3]].sort());
  });

  test('an unknown comma value is reported as typed, not as its pieces', async () => {
    const w = await world({ customerNames: names });
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', 'Comma, Inc', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`'Comma, Inc' is not a customer id or name (nearest: "Comma, Inc."`);
  });

  test('a name pasted in NFD matches its NFC twin (flag and file)', async () => {
    const w = await world({ customerNames: names });
    const nfd = 'Café Zürich'.normalize('NFD');
    expect(nfd).not.toBe('Café Zürich');
    const flag = await w.cli(['--json', 'assign', '-s', 'foundation_ap', '--include', nfd, '--dry-run']);
    expect(flag.code, flag.stderr).toBe(0);
    expect(JSON.parse(flag.stdout).scope.customers).toEqual([{ id: w.ids[1], name: 'Café Zürich' }]);
    const file = await w.cli(['--json', 'status', '-s', 'foundation_ap', '--exclude-file', '-'], {
      input: `${nfd.toUpperCase()}\n`,
    });
    expect(file.code, file.stderr).toBe(0);
  });
});

describe('bug 8: one validation for the dry run and the real run', () => {
  test('excluding every customer: the dry run is refused like the real run (exit 2), nothing sent', async () => {
    const w = await world();
    const args = ['assign', '-s', 'foundation_ap', '--exclude', w.ids.join(',')];
    const dry = await w.cli([...args, '--dry-run']);
    const real = await w.cli([...args, '--yes']);
    expect(real.code).toBe(2);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/No customer is left in scope/);
    expect(dry.stderr).toMatch(/--include/);
    expect(dry.stdout).toBe('');
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });
});

describe('bug 9: numbers are checked against their ranges (exit 2, naming the range)', () => {
  const job = ['assign', '-s', 'foundation_ap', '--all-customers', '--wait', '--yes'];
  test.each([
    [[...job, '--stall-after', '0'], /--stall-after: '0' is out of range: use a value from 1s to 1d/],
    [[...job, '--timeout', '0'], /--timeout: '0' is out of range: use a value from 1s to 7d/],
    [[...job, '--timeout', '99999d'], /--timeout: '99999d' is out of range: use a value from 1s to 7d/],
    [[...job, '--interval', '500ms'], /--interval: '500ms' is out of range: use a value from 1s to 1h/],
    [[...job, '--chunk-size', '1e3'], /--chunk-size: '1e3' is not a whole number/],
    [
      [...job, '--chunk-size', '99999999'],
      /--chunk-size: '99999999' is out of range: use a value from 1 to 10,000/,
    ],
    [
      [...job, '--interval', '30s', '--stall-after', '10s'],
      /--stall-after \(10s\) is shorter than --interval \(30s\)/,
    ],
    [['history', '--limit', '0'], /--limit: '0' is out of range: use a value from 1 to 1,000,000/],
    [['sandbox', '--port', '70000'], /--port: '70000' is out of range: use a value from 0 to 65,535/],
    [['sandbox', '--customers', '1e9'], /--customers: '1e9' is not a whole number/],
  ])('%j', async (args, message) => {
    const w = await world();
    const result = await w.cli(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('MSP_LICENSE_REQUEST_TIMEOUT out of range is reported under its own name', async () => {
    const w = await world();
    const result = await w.cli(['customers'], { env: { MSP_LICENSE_REQUEST_TIMEOUT: '0' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: MSP_LICENSE_REQUEST_TIMEOUT: '0' is out of range/);
    expect(result.stderr).not.toMatch(/--request-timeout/);
  });

  test('a busy sandbox --port is a usage error with the way out, not a Node stack', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const { dir } = scratch();
      const result = await runCli(dir, ['sandbox', '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toEqual([
        `Error: --port ${port}: 127.0.0.1:${port} is already in use (EADDRINUSE).`,
        '  Pick another port, or --port 0 for any free one.',
      ]);
    } finally {
      busy.close();
    }
  });
});

describe('bug 10: diagnostics that point at the real problem', () => {
  test('https:// to the plain-HTTP sandbox is "no TLS there", not an untrusted certificate', async () => {
    const w = await world();
    const https = w.sandbox.url.replace('http://', 'https://');
    const result = await w.cli(['--base-url', https, 'customers', '--refresh']);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/does not answer in TLS/);
    expect(result.stderr).toMatch(/plain http:\/\/ port/);
    expect(result.stderr).not.toMatch(/not trusted/);
    expect(result.stderr.match(/NODE_EXTRA_CA_CERTS/g) ?? []).toHaveLength(0);
  });

  test('a 404 from a wrong gateway names the path and asks whether the gateway URL is right', async () => {
    const w = await world();
    const result: CliResult = await w.cli([
      '--base-url',
      `${w.sandbox.url}/not-central`,
      'customers',
      '--refresh',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Not found: GET \/not-central\/\S+ \(HTTP 404/);
    expect(result.stderr).toMatch(/Is the gateway URL right\?/);
  });

  test('a stalled unassign is not told to "add licenses"', async () => {
    const w = await world({ jobSpeed: 0 }); // a job that never moves
    const result = await w.cli([
      'unassign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--yes',
      '--wait',
      '--interval',
      '1s',
      '--stall-after',
      '2s',
    ]);
    expect(result.code, result.stderr).toBe(7);
    expect(result.stderr).not.toMatch(/Add licenses/);
    expect(result.stderr).toMatch(/run the same command again/);
  });
});

async function history(
  w: World,
): Promise<Array<{ outcome: string; error?: string; requests?: Array<{ status: string }> }>> {
  const result = await w.cli(['history', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).entries;
}

describe('bug 4: a closed output pipe during --wait does not end the job’s run', () => {
  test('`assign … --wait 2>&1 | (read a; exit 0)`: the true exit code (7) and a recorded outcome', async () => {
    // A job that licenses 2 devices a second, then runs out of licenses (exit 7) a few polls later.
    const w = await world({ licenses: { foundation_ap: 10 }, preLicensed: 0, jobSpeed: 2 });
    const cli = `'${process.execPath}' '${BIN}' assign -s foundation_ap --all-customers --wait --interval 1s`;
    const script = `${cli} 2>&1 | (read a; exit 0); echo "exit=\${PIPESTATUS[0]}"`;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile('bash', ['-c', script], { env: baseEnv(w.dir), timeout: 60_000 }, (error, out) =>
        error ? reject(error) : resolve({ stdout: out }),
      ),
    );
    expect(stdout.trim()).toBe('exit=7');
    const [entry] = await history(w);
    expect(entry?.outcome).toBe('stalled');
  });

  test('`customers | head -1` still ends quietly with exit 0 (nothing was sent)', async () => {
    const w = await world({ customers: 200 });
    const script = `'${process.execPath}' '${BIN}' customers | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile('bash', ['-c', script], { env: baseEnv(w.dir), timeout: 60_000 }, (error, out, err) =>
        error ? reject(error) : resolve({ stdout: out, stderr: err }),
      ),
    );
    expect(stdout.trim()).toBe('exit=0');
    expect(stderr).not.toMatch(/Error|EPIPE|at /);
  });

  test('`<command> --help | head -1` ends quietly with exit 0, every time (help is written before any command runs)', async () => {
    const w = await world({ customers: 2 });
    // Long help texts, each 20 times: the reader leaving early is a race the old build lost often.
    const runs = ['sandbox --help', 'assign --help', 'help environment', 'autolicense enable --help']
      .map(
        (args) =>
          `for i in $(seq 20); do '${process.execPath}' '${BIN}' ${args} | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"; done`,
      )
      .join('; ');
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile('bash', ['-c', runs], { env: baseEnv(w.dir), timeout: 120_000 }, (error, out, err) =>
        error ? reject(error) : resolve({ stdout: out, stderr: err }),
      ),
    );
    expect(stdout.trim().split('\n')).toEqual(Array.from({ length: 80 }, () => 'exit=0'));
    expect(stderr).not.toMatch(/Error|EPIPE|at /);
  });
});

describe('bug 5: outcomes after the job was accepted', () => {
  test('the gateway gone during --wait: the error says the job was accepted; history says accepted + why', async () => {
    const w = await world({ jobSpeed: 0 });
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    await run.waitFor(/waiting for the job/);
    await w.sandbox.close();
    const result = await run.done;
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(
      /Error: The job was accepted by Central \(1 request\) and goes on there, but following it failed: Connection refused/,
    );
    expect(result.stderr).toMatch(/msp-license status/);
    const [entry] = await history(w);
    expect(entry?.outcome).toBe('accepted');
    expect(entry?.requests?.map((r) => r.status)).toEqual(['accepted']);
    expect(entry?.error).toMatch(/^following the job failed: Connection refused/);
  });

  test('a request failing after others were accepted says which part is under way', async () => {
    const job = 'POST /platform/licensing';
    const w = await world({ faults: { latencyMs: 400, match: job } });
    const ids = (w.ids.slice(0, 3) as string[]).join(',');
    const run = liveCli(w.dir, ['assign', '-s', 'foundation_ap', '--include', ids, '--chunk-size', '1']);
    await run.waitFor(/request 1 accepted/);
    await setFaults(w.sandbox, { status5xx: 50, match: job });
    const result = await run.done;
    expect(result.code).toBe(1);
    // Request 2 may already be on its way when the fault is set: then request 3 is the one that fails.
    const sent = Number(/Error: (\d) of 3 requests were accepted/.exec(result.stderr)?.[1]);
    expect([1, 2], result.stderr).toContain(sent);
    expect(result.stderr).toContain(
      `(${sent} customer${sent === 1 ? '' : 's'}: their job goes on in Central), then one failed: An unexpected error occurred (HTTP 500)`,
    );
    expect(result.stderr).toMatch(/Send what was not accepted with 'msp-license assign --resume'/);
    const [entry] = await history(w);
    expect(entry?.outcome).toBe('failed');
    expect(entry?.requests?.map((r) => r.status)).toEqual(
      sent === 1 ? ['accepted', 'failed', 'not-sent'] : ['accepted', 'accepted', 'failed'],
    );
  });

  test.each([
    ['SIGHUP', 129],
    ['SIGTERM', 143],
  ] as const)('%s during --wait ends like Ctrl-C: exit %i, history "interrupted"', async (signal, code) => {
    const w = await world({ jobSpeed: 0 });
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    await run.waitFor(/waiting for the job/);
    run.child.kill(signal);
    const result = await run.done;
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toMatch(
      new RegExp(`Interrupted while waiting; the job goes on in Central \\(${signal}\\)`),
    );
    const [entry] = await history(w);
    expect(entry?.outcome).toBe('interrupted');
    expect(entry?.requests?.map((r) => r.status)).toEqual(['accepted']);
  });
});

/** bash (or npm) in a clean environment; resolves with its output whatever the exit code. */
function sh(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('bug 11: the README works as written', () => {
  test('the sandbox walk-through runs as pasted into a fresh shell, after the install line', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const install = readme.slice(readme.indexOf('## Install'));
    expect(/```sh\n([^`]*)```/.exec(install)?.[1]).toContain('npm link');
    const section = readme.slice(readme.indexOf('## Try it against the sandbox'));
    const walkThrough = /```sh\n([^`]*)```/.exec(section)?.[1] ?? '';
    expect(walkThrough).toContain('msp-license sandbox --write-profile');

    // The install's `npm link` (the clone is built already: npm test builds first), into a
    // throw-away global prefix; then a shell that knows nothing but PATH and HOME.
    const { root } = scratch();
    const prefix = join(root, 'prefix');
    const home = join(root, 'home');
    const cwd = join(root, 'work');
    for (const d of [prefix, home, cwd]) mkdirSync(d);
    const npmEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      npm_config_prefix: prefix,
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    const link = await sh('npm', ['link'], { cwd: ROOT, env: npmEnv });
    expect(link.code, link.stderr).toBe(0);

    // -e: every line must succeed. The trap only cleans up after a failure (the block kills its
    // sandbox itself).
    const script = `set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${walkThrough}`;
    const shell = await sh('bash', ['-c', script], {
      cwd,
      env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: home, LANG: 'C.UTF-8' },
    });
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stderr).not.toMatch(/No profile named|command not found|Error:/);
    expect(shell.stderr).toMatch(/^20 customers$/m);
    expect(shell.stdout).toMatch(/Dry run|foundation_ap/);
    expect(shell.stdout).toMatch(/Assignment of foundation_ap accepted for 18 customers in 1 request; done/);
    expect(shell.stdout).toMatch(/ assign +foundation_ap .*done/);
    // The profile lives where a fresh shell's config goes: ~/.config/msp-license.
    expect(profileOf(join(home, '.config', 'msp-license'), 'sandbox')).toMatchObject({ sandbox: true });
  });
});

describe('polish', () => {
  test('retry notices in a log carry a timestamp', async () => {
    const w = await world();
    await setFaults(w.sandbox, { status429: 1 });
    const result = await w.cli(['customers', '--refresh']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z retrying after/m);
  });

  test('a profile name starting with "-" is refused', async () => {
    const { dir } = scratch();
    const result = await runCli(dir, ['customers'], { env: { MSP_LICENSE_PROFILE: '-x' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid profile name "-x"/);
    expect(result.stderr).toMatch(/not starting with "-"/);
  });

  test('help texts: unassign removes, login --cluster lists the clusters', async () => {
    const { dir } = scratch();
    const unassign = await runCli(dir, ['unassign', '--help']);
    expect(unassign.stdout).toMatch(/services to remove/);
    expect(unassign.stdout).not.toMatch(/services to license/);
    const login = await runCli(dir, ['login', '--help']);
    expect(login.stdout.replace(/\s+/g, ' ')).toMatch(/regional gateway: us-1, us-2, /);
  });

  test('root --help wraps at 60 columns (all but the pasteable example lines)', async () => {
    const { dir } = scratch();
    const { code, screen } = await runInPty(dir, ['--help'], { cols: 60 });
    expect(code).toBe(0);
    const text = plain(screen);
    const body = text.slice(0, text.indexOf('Help topics:'));
    expect(body).toMatch(/--request-timeout/);
    expect(lines(body).filter((line) => line.length > 60)).toEqual([]);
  });

  test('the confirmation plan counts the requests; an already-done job says so', async () => {
    const w = await world({ preLicensed: 1 });
    const { code, screen } = await runInPty(
      w.dir,
      ['assign', '-s', 'foundation_ap', '--exclude', w.ids[0] as string],
      { input: ['y\r'] },
    );
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text).toMatch(/requests {2}1 \(exclude\)/);
    expect(text).toMatch(/nothing to change: it was already done/);
    expect(text).not.toMatch(/runs in the background/);
  });

  test('interactive login: a cluster typo and an empty secret are asked again', async () => {
    const sandbox = await sandboxOnly();
    const { dir } = scratch();
    const token = JSON.stringify({
      access_token: (await (await fetch(`${sandbox.url}/__sandbox/tokens`, { method: 'POST' })).json())
        .access_token,
      expires_in: 7200,
    });
    const { code, screen } = await runInPty(dir, ['--profile', 'tty', 'login'], {
      input: [
        'eu-9\r',
        `${sandbox.url}\r`,
        `${sandbox.credentials.clientId}\r`,
        '\r',
        `${sandbox.credentials.clientSecret}\r`,
        `${token}\r`,
        '\r',
      ],
    });
    const text = plain(screen);
    expect(code, text).toBe(0);
    expect(text).toMatch(/Unknown cluster 'eu-9'/);
    expect(text.match(/Cluster name or gateway URL/g)).toHaveLength(2);
    expect(text).toMatch(/The client secret is required/);
    expect(text).toContain("Logged in: profile 'tty'");
    expect(profileOf(dir, 'tty')?.clientSecret).toBe(sandbox.credentials.clientSecret);
  });
});
