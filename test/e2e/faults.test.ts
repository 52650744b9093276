// Fault runs: the BUILT CLI against the sandbox's fault injection (429s, 5xx, plain-text 503s,
// resets, slow answers, token expiry, a gateway that goes away), broken files on disk, Ctrl-C.
// Each run either succeeds or fails with the right exit code, and nothing in config or history is
// lost. `npm run test:faults` prints the table at the end: scenario, exit code, calls, retries,
// outcome, state intact.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, baseEnv, type CliResult } from '../helpers/cli.js';
import { cleanupAll, profileOf, type World, world } from '../helpers/e2e.js';
import { liveCli } from '../helpers/live.js';
import { clearLog, control, mutatingCalls, requestLog, sandboxState, setFaults } from '../helpers/sandbox.js';

// The scenarios run concurrently (each with its own sandbox and config dir): clean up at the end.
afterAll(cleanupAll);

const CUSTOMERS = 'GET /msp_api/v1/customers';
const JOB = 'POST /platform/licensing/v1/msp/subscriptions/devices/all';
const TOKEN = 'POST /oauth2/token';

interface Row {
  scenario: string;
  expected: number;
  exit: number | null;
  calls: number;
  retries: number;
  outcome: string;
  intact: boolean;
  seconds: number;
}
const rows: Row[] = [];

afterAll(() => {
  if (rows.length === 0) return;
  const order = (r: Row) => scenarios.indexOf(r.scenario);
  rows.sort((a, b) => order(a) - order(b));
  const head = ['scenario', 'exit', 'calls', 'retries', 'outcome', 'state intact', 'time'];
  const body = rows.map((r) => [
    r.scenario,
    r.exit === r.expected ? String(r.exit) : `${r.exit} (want ${r.expected})`,
    String(r.calls),
    String(r.retries),
    r.outcome,
    r.intact ? 'yes' : 'NO',
    `${r.seconds.toFixed(1)}s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const table = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  console.log(`\nFault runs against the sandbox\n${table.join('\n')}\n`);
});

/** Scenario names, in the order of the table. */
const scenarios: string[] = [];
function scenario(name: string): string {
  scenarios.push(name);
  return name;
}

const retriesOf = (stderr: string) => (stderr.match(/retrying after/g) ?? []).length;

function outcomeOf(result: CliResult): string {
  if (result.code === 0) return 'succeeded';
  const text = result.stderr.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');
  const error = /Error: (.*)/.exec(text)?.[1] ?? text.trim().split('\n').pop() ?? '';
  return error.length > 70 ? `${error.slice(0, 67)}...` : error;
}

/** History lines: all valid JSON, and every job that was sent has its result. */
function historyIntact(dir: string): boolean {
  const file = join(dir, 'history.jsonl');
  if (!existsSync(file)) return true;
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; event: string });
  const sent = records.filter((r) => r.event === 'sent').map((r) => r.id);
  return sent.every((id) => records.some((r) => r.id === id && r.event === 'result'));
}

/** Whether `refreshToken` is the sandbox's live one (it is used up: call it last). */
async function isLive(w: World, refreshToken: string | undefined): Promise<boolean> {
  const { clientId, clientSecret } = w.sandbox.credentials;
  const query = new URLSearchParams({
    client_id: clientId,
    client_secret: clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken ?? '',
  });
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${w.sandbox.url}/oauth2/token?${query}`, { method: 'POST' });
    // The sandbox enforces 7 calls/s: the CLI may have used this second up.
    if (res.status !== 429 || attempt === 3) return res.status === 200;
    await new Promise((r) => setTimeout(r, 1100));
  }
}

/**
 * Config and history intact: config.json still parses with the profile's credentials (byte for
 * byte the same when `before` is given), history whole, the stored refresh token live.
 */
async function stateIntact(
  w: World,
  options: { before?: string; sandboxUp?: boolean } = {},
): Promise<boolean> {
  const fail = (why: string) => {
    console.error(`state not intact in ${w.dir}: ${why}`);
    return false;
  };
  try {
    const text = readFileSync(join(w.dir, 'config.json'), 'utf8');
    if (options.before !== undefined && text !== options.before) return fail('config.json changed');
    const profile = profileOf(w.dir);
    if (!profile?.refreshToken || !profile.accessToken || !profile.clientSecret)
      return fail('credentials lost');
    if (!historyIntact(w.dir)) return fail('history damaged');
    if (options.sandboxUp === false) return true;
    return (await isLive(w, profile.refreshToken)) || fail('the stored refresh token is dead');
  } catch (error) {
    return fail(String(error));
  }
}

async function record(
  name: string,
  expected: number,
  w: World,
  result: CliResult & { ms?: number },
  started: number,
  intact: boolean,
  calls?: number,
): Promise<Row> {
  const row: Row = {
    scenario: name,
    expected,
    exit: result.code,
    calls: calls ?? (await requestLog(w.sandbox)).total,
    retries: retriesOf(result.stderr),
    outcome: outcomeOf(result),
    intact,
    seconds: (result.ms ?? Date.now() - started) / 1000,
  };
  rows.push(row);
  return row;
}

/** A logged-in world with an empty request log. */
async function ready(options: Parameters<typeof world>[0] = {}): Promise<World> {
  const w = await world(options);
  await clearLog(w.sandbox);
  return w;
}

/** Runs the CLI with the faults set; returns the result and the table row. */
async function faultRun(
  name: string,
  expected: number,
  faults: Record<string, unknown>,
  args: string[] | ((w: World) => string[]),
  options: { world?: Parameters<typeof world>[0]; env?: Record<string, string>; sandboxUp?: boolean } = {},
) {
  const w = await ready(options.world);
  if (typeof args === 'function') args = args(w);
  const before = readFileSync(join(w.dir, 'config.json'), 'utf8');
  await setFaults(w.sandbox, faults);
  const started = Date.now();
  const result = await w.cli(args, { env: options.env, timeoutMs: 90_000 });
  const ms = Date.now() - started;
  await setFaults(w.sandbox, {});
  const log = await requestLog(w.sandbox);
  const row = await record(
    name,
    expected,
    w,
    { ...result, ms },
    started,
    await stateIntact(w, { before, sandboxUp: options.sandboxUp }),
    log.total,
  );
  expect(result.code, result.stderr).toBe(expected);
  return { w, result, row, log, ms };
}

describe.concurrent('API faults', () => {
  test(scenario('429 ×3, then answers'), async () => {
    const { row, result } = await faultRun('429 ×3, then answers', 0, { status429: 3 }, [
      'customers',
      '--refresh',
    ]);
    expect(row.retries).toBe(3);
    expect(result.stderr).toMatch(/retrying after HTTP 429 \(1\/5\)/);
    expect(row.intact).toBe(true);
  });

  test(scenario('always 429'), async () => {
    const { row, result, ms, log } = await faultRun('always 429', 5, { always429: true }, [
      'customers',
      '--refresh',
    ]);
    expect(result.stderr).toMatch(/Rate limited by Central after 5 retries/);
    expect(row.retries).toBe(5);
    expect(log.total).toBe(6); // bounded: one call and five retries
    expect(ms).toBeLessThan(45_000); // bounded in time too (backoff caps at 8 s, 60 s in all)
    expect(row.intact).toBe(true);
  });

  test(scenario('plain-text 503 ×2'), async () => {
    const { row } = await faultRun('plain-text 503 ×2', 0, { plain503: 2 }, ['customers', '--refresh']);
    expect(row.retries).toBe(2);
    expect(row.intact).toBe(true);
  });

  test(scenario('JSON 500 ×2'), async () => {
    const { row } = await faultRun('JSON 500 ×2', 0, { status5xx: 2 }, ['customers', '--refresh']);
    expect(row.retries).toBe(2);
    expect(row.intact).toBe(true);
  });

  test(scenario('connection reset ×2'), async () => {
    const { row, result } = await faultRun('connection reset ×2', 0, { reset: 2 }, [
      'customers',
      '--refresh',
    ]);
    expect(row.retries).toBe(2);
    expect(result.stderr).toMatch(/retrying after (ECONNRESET|UND_ERR_SOCKET)/);
    expect(row.intact).toBe(true);
  });

  test(scenario('reset on the license POST'), async () => {
    // The job is idempotent (assigning a held license is a no-op): one lost answer is re-sent.
    const { w, row, result } = await faultRun(
      'reset on the license POST',
      0,
      { reset: 1, match: JOB },
      (w) => ['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string],
    );
    expect(result.stdout).toMatch(/accepted for 1 customer in 1 request/);
    expect(row.retries).toBe(1);
    const posts = await mutatingCalls(w.sandbox);
    expect(posts).toHaveLength(2); // the one reset before an answer, and the retry
    expect((await sandboxState(w.sandbox)).jobs).toHaveLength(1); // Central acted once
    expect(row.intact).toBe(true);
  });

  test(scenario('429 ×2 on the license POST'), async () => {
    const { w, row } = await faultRun('429 ×2 on the license POST', 0, { status429: 2, match: JOB }, (w) => [
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      w.ids[0] as string,
    ]);
    expect(row.retries).toBe(2);
    expect((await sandboxState(w.sandbox)).jobs).toHaveLength(1);
    expect(row.intact).toBe(true);
  });

  test(scenario('slow answers past --request-timeout'), async () => {
    const name = 'slow answers past --request-timeout';
    const w = await ready();
    const before = readFileSync(join(w.dir, 'config.json'), 'utf8');
    await setFaults(w.sandbox, { latencyMs: 2500, match: CUSTOMERS });
    const started = Date.now();
    const run = liveCli(w.dir, ['customers', '--refresh'], { env: { MSP_LICENSE_REQUEST_TIMEOUT: '1s' } });
    // The first attempt times out after 1 s; once it is retried, the gateway is fast again.
    await run.waitFor(/retrying after UND_ERR_HEADERS_TIMEOUT/);
    await setFaults(w.sandbox, {});
    const result = await run.done;
    const row = await record(name, 0, w, result, started, await stateIntact(w, { before }));
    expect(result.code, result.stderr).toBe(0);
    expect(row.retries).toBeGreaterThanOrEqual(1);
  });

  test(scenario('token expiry during --wait'), async () => {
    const name = 'token expiry during --wait';
    const w = await ready({ jobSpeed: 25, preLicensed: 0 });
    const started = Date.now();
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    await run.waitFor(/\d+ \/ \d+ devices, [1-9]\d?%/);
    await control(w.sandbox, 'expire-tokens');
    const result = await run.done;
    const log = await requestLog(w.sandbox);
    const row = await record(name, 0, w, result, started, await stateIntact(w), log.total);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/done: (\d+) \/ \1 devices, 100%/);
    expect(log.counts[TOKEN]).toBe(1);
    expect(log.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(row.intact).toBe(true);
  });

  test(scenario('gateway gone during --wait'), async () => {
    const name = 'gateway gone during --wait';
    const w = await ready({ jobSpeed: 5, preLicensed: 0 });
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    const started = Date.now();
    await run.waitFor(/\d+ \/ \d+ devices/);
    const calls = (await requestLog(w.sandbox)).total;
    await w.sandbox.close();
    const result = await run.done;
    const row = await record(name, 6, w, result, started, await stateIntact(w, { sandboxUp: false }), calls);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(/Connection refused by 127\.0\.0\.1:\d+ \(after 5 retries\)/);
    const history = readFileSync(join(w.dir, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The job was accepted and goes on in Central: only following it failed (issue 10, bug 5).
    expect(result.stderr).toMatch(/The job was accepted by Central/);
    expect(history.at(-1)).toMatchObject({
      event: 'result',
      outcome: 'accepted',
      error: expect.stringMatching(/^following the job failed: Connection refused/),
    });
    expect(history.at(-1).requests[0]).toMatchObject({ status: 'accepted' });
    expect(row.intact).toBe(true);
  });

  test(scenario('daily budget spent'), async () => {
    // The login's three calls (the refresh that verifies the client secret, services v2 and v1)
    // leave none of a budget of 3 for today.
    const { row, result, log } = await faultRun('daily budget spent', 5, {}, ['services', '--refresh'], {
      world: { rateLimit: { perDay: 3 } },
      sandboxUp: false,
    });
    // No retry against a spent daily budget: it resets at midnight GMT, not in seconds.
    expect(result.stderr).toMatch(/daily API budget of 3 calls is used up/);
    expect(row.retries).toBe(0);
    expect(log.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  test(scenario('--wait beyond the day budget, --no-input'), async () => {
    const { result, log } = await faultRun(
      '--wait beyond the day budget, --no-input',
      5,
      {},
      [
        '--no-input',
        'assign',
        '-s',
        'foundation_ap',
        '--all-customers',
        '--wait',
        '--interval',
        '1s',
        '--timeout',
        '2m',
      ],
      { world: { rateLimit: { perDay: 60 } } },
    );
    expect(result.stderr).toMatch(
      /--wait may need up to 121 API calls \(1 request \+ 120 polls × 1 service\)/,
    );
    expect(log.requests.filter((r) => r.method === 'POST' && r.path.includes('/msp/'))).toHaveLength(0);
  });

  test(scenario('--wait beyond the day budget, warned'), async () => {
    const { result } = await faultRun(
      '--wait beyond the day budget, warned',
      0,
      {},
      ['assign', '-s', 'foundation_ap', '--all-customers', '--wait', '--interval', '1s', '--timeout', '2m'],
      { world: { rateLimit: { perDay: 60 } } },
    );
    expect(result.stderr).toMatch(/warning: --wait may need up to 121 API calls/);
    expect(result.stdout).toMatch(/done/);
  });
});

describe('rate', () => {
  test(scenario('large paged fetch: ≤ 7 calls in any second'), async () => {
    const name = 'large paged fetch: ≤ 7 calls in any second';
    const w = await ready({ customers: 2500, devices: 2500 });
    const started = Date.now();
    const result = await w.cli(['--json', 'customers', '--refresh'], { timeoutMs: 90_000 });
    const log = await requestLog(w.sandbox);
    const row = await record(name, 0, w, result, started, await stateIntact(w), log.total);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain(w.ids[2499]);
    expect(log.total).toBeGreaterThanOrEqual(25);
    // The sandbox's request log is the judge: arrival times, any sliding one-second window.
    const times = log.requests.map((r) => r.t).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(7);
    expect(log.requests.filter((r) => r.status === 429)).toHaveLength(0);
    row.outcome = `succeeded; busiest second: ${worst} calls`;
  });
});

describe.concurrent('credentials and files', () => {
  test(scenario('refresh token revoked'), async () => {
    const name = 'refresh token revoked';
    const w = await ready();
    const file = join(w.dir, 'config.json');
    const before = readFileSync(file);
    await control(w.sandbox, 'expire-tokens');
    await control(w.sandbox, 'revoke-refresh');
    const started = Date.now();
    const result = await w.cli(['customers', '--refresh']);
    const refresh = await w.cli(['--json', 'auth', 'refresh']);
    // The failed refresh wrote nothing: the store is byte for byte what it was.
    const intact = readFileSync(file).equals(before);
    await record(name, 4, w, result, started, intact);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/Token refresh failed: Invalid refresh_token/);
    expect(result.stderr).toMatch(/msp-license login --token-file FILE/); // how to recover
    expect(refresh.code).toBe(4);
    expect(JSON.parse(refresh.stderr).error).toMatchObject({ code: 'auth', exitCode: 4 });
    expect(intact).toBe(true);
    expect(existsSync(join(w.dir, 'config.lock'))).toBe(false); // the lock was released
  });

  test(scenario('5xx from the token endpoint'), async () => {
    // The gateway failing says nothing about the refresh token: no "download a new token" (exit
    // 4), but a retryable failure (exit 1); the same token works once the gateway is back.
    const name = '5xx from the token endpoint';
    const w = await ready();
    await control(w.sandbox, 'expire-tokens');
    await setFaults(w.sandbox, { status5xx: 20, match: 'POST /oauth2/token' });
    const started = Date.now();
    const result = await w.cli(['--json', 'auth', 'refresh']);
    await record(name, 1, w, result, started, true);
    expect(result.code, result.stderr).toBe(1);
    const { error } = JSON.parse(result.stderr);
    expect(error).toMatchObject({ code: 'api', exitCode: 1, retryable: true });
    expect(error.message).toMatch(/^Token refresh failed: /);
    expect(error.hint).toMatch(/The gateway failed, not the token/);
    await setFaults(w.sandbox, {});
    const again = await w.cli(['auth', 'refresh']);
    expect(again.code, again.stderr).toBe(0);
  });

  test(scenario('corrupt config.json'), async () => {
    const name = 'corrupt config.json';
    const w = await ready();
    const file = join(w.dir, 'config.json');
    const torn = readFileSync(file, 'utf8').slice(0, 80);
    writeFileSync(file, torn, { mode: 0o600 });
    const started = Date.now();
    const result = await w.cli(['customers']);
    // login must not "repair" it by writing a new file over it either.
    const login = await w.cli(
      ['login', '--base-url', w.sandbox.url, '--client-id', 'x', '--client-secret-stdin'],
      {
        input: 'secret\n',
      },
    );
    const intact = readFileSync(file, 'utf8') === torn;
    await record(name, 1, w, result, started, intact);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The config file ${file} is not valid JSON`);
    expect(result.stderr).toMatch(/it was not changed/);
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(file);
    expect(intact).toBe(true);
  });

  test(scenario('unreadable config.json'), async () => {
    const name = 'unreadable config.json';
    const w = await ready();
    const file = join(w.dir, 'config.json');
    // (Tests may run as root, whom chmod 000 does not stop: a directory in its place cannot be read.)
    const saved = readFileSync(file, 'utf8');
    spawnSync('rm', ['-f', file]);
    spawnSync('mkdir', [file]);
    const started = Date.now();
    const result = await w.cli(['--json', 'customers']);
    const intact = existsSync(file) && !existsSync(join(file, 'config.json'));
    await record(name, 1, w, result, started, intact);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.message).toContain(`The config file ${file} cannot be read`);
    expect(intact).toBe(true);
    spawnSync('rmdir', [file]);
    writeFileSync(file, saved, { mode: 0o600 });
  });

  test(scenario('config readable by group'), async () => {
    const name = 'config readable by group';
    const w = await ready();
    const file = join(w.dir, 'config.json');
    chmodSync(file, 0o640);
    const before = readFileSync(file, 'utf8');
    const started = Date.now();
    const result = await w.cli(['customers']);
    await record(name, 0, w, result, started, await stateIntact(w, { before }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `warning: Credentials may be exposed: ${file} is accessible by other users (mode 0640); run: chmod 0600 ${file}`,
    );
    expect(result.stdout).toMatch(/CUSTOMER ID/);
    // --quiet silences it; a cron log with --json still gets it on stderr.
    expect((await w.cli(['--quiet', 'customers'])).stderr).toBe('');
  });

  test(scenario('torn last history line'), async () => {
    const name = 'torn last history line';
    const w = await ready();
    const assign = (id: string) => w.cli(['assign', '-s', 'foundation_ap', '--include', id]);
    expect((await assign(w.ids[0] as string)).code).toBe(0);
    const file = join(w.dir, 'history.jsonl');
    // A crash in the middle of a write: half a line, no newline.
    appendFileSync(file, '{"id":"torn","event":"sent","time":"2026-01-0');
    const started = Date.now();
    const history = await w.cli(['--json', 'history']);
    const again = await assign(w.ids[1] as string);
    const after = await w.cli(['--json', 'history']);
    await record(name, 0, w, history, started, historyIntactAfterTear(file));
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ skippedLines: 1 });
    expect(JSON.parse(history.stdout).entries).toHaveLength(1);
    expect(again.code, again.stderr).toBe(0);
    // The next append started on a line of its own: both jobs are there, the torn line skipped.
    expect(JSON.parse(after.stdout).entries).toHaveLength(2);
    expect(JSON.parse(after.stdout).skippedLines).toBe(1);
  });
});

/** Every line but the torn one parses. */
function historyIntactAfterTear(file: string): boolean {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const bad = lines.filter((l) => {
    try {
      JSON.parse(l);
      return false;
    } catch {
      return true;
    }
  });
  return bad.length === 1 && (bad[0] as string).startsWith('{"id":"torn"');
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

function lastResult(dir: string): Record<string, any> {
  const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1) as string);
}

describe.concurrent('Ctrl-C', () => {
  test(scenario('SIGINT during --wait'), async () => {
    const name = 'SIGINT during --wait';
    const w = await ready({ jobSpeed: 5, preLicensed: 0 });
    const started = Date.now();
    const run = liveCli(w.dir, [
      'assign',
      '-s',
      'foundation_ap',
      '--all-customers',
      '--wait',
      '--interval',
      '1s',
    ]);
    await run.waitFor(/\d+ \/ \d+ devices/);
    run.child.kill('SIGINT');
    const result = await run.done;
    const entry = lastResult(w.dir);
    await record(name, 130, w, result, started, await stateIntact(w));
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/Interrupted while waiting; the job goes on in Central/);
    expect(entry).toMatchObject({ event: 'result', outcome: 'interrupted' });
    expect(entry.requests).toEqual([
      // the request id is the sandbox's X-Request-Id for that POST
      {
        index: 0,
        customers: 0,
        kind: 'all',
        status: 'accepted',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });

  test(scenario('SIGINT during a chunked run'), async () => {
    const name = 'SIGINT during a chunked run';
    // One customer per request, each answered after 800 ms: Ctrl-C lands while requests remain.
    const w = await ready({ jobSpeed: 5 });
    await setFaults(w.sandbox, { latencyMs: 800, match: JOB });
    const started = Date.now();
    const ids = w.ids.slice(0, 5).join(',');
    const run = liveCli(w.dir, ['assign', '-s', 'foundation_ap', '--include', ids, '--chunk-size', '1']);
    await run.waitFor(/request 1 accepted/);
    run.child.kill('SIGINT');
    const result = await run.done;
    const entry = lastResult(w.dir);
    const posts = await mutatingCalls(w.sandbox);
    await record(name, 130, w, result, started, await stateIntact(w));
    expect(result.code, result.stderr).toBe(130);
    expect(entry).toMatchObject({ event: 'result', outcome: 'interrupted' });
    const statuses = (entry.requests as Array<{ status: string }>).map((r) => r.status);
    expect(statuses).toHaveLength(5);
    // The request in flight was not cut in half: what the history calls accepted is exactly what
    // reached Central, and the rest is recorded as not sent.
    const accepted = statuses.filter((s) => s === 'accepted').length;
    expect(accepted).toBe(posts.length);
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThan(5);
    expect(statuses.slice(accepted).every((s) => s === 'not-sent')).toBe(true);
  });

  test.skipIf(!hasScript)(scenario('SIGINT during --wait on a terminal'), async () => {
    const name = 'SIGINT during --wait on a terminal';
    const w = await ready({ jobSpeed: 5, preLicensed: 0 });
    const args = ['assign', '-s', 'foundation_ap', '--all-customers', '--yes', '--wait', '--interval', '1s'];
    const command = `stty cols 100 rows 30; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
    const started = Date.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...baseEnv(w.dir), SHELL: '/bin/sh', TERM: 'xterm-256color' },
      cwd: w.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    let sent = false;
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        screen += d;
        // The spinner is up with live progress: Ctrl-C, delivered to the node process itself.
        if (!sent && /\d+ \/ \d+ devices/.test(screen)) {
          sent = true;
          const pid = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
          process.kill(Number(pid.split('\n')[0]), 'SIGINT');
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void done.then(() => resolve());
    });
    const code = await done;
    clearTimeout(timer);
    const afterInterrupt = screen.slice(screen.search(/\d+ \/ \d+ devices/));
    const entry = lastResult(w.dir);
    await record(
      name,
      130,
      w,
      { code, signal: null, stdout: '', stderr: screen },
      started,
      await stateIntact(w),
    );
    expect(code, screen).toBe(130);
    expect(screen).toMatch(/\u001b\[\?25l/); // the spinner hid the cursor...
    expect(afterInterrupt).toMatch(/\u001b\[\?25h/); // ...and Ctrl-C gave it back
    expect(entry).toMatchObject({ event: 'result', outcome: 'interrupted' });
  });
});
