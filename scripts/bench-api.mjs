#!/usr/bin/env node
// npm run bench:api — the API cost of the main job (README, "How progress is measured (and what
// it costs)"): `assign --wait` on a sandbox estate of 2,000 customers / 50,000 devices that
// enforces 7 calls/s and the daily budget.
// Reports the calls per endpoint, the busiest one-second window, the 429s drawn, the polls, and
// the calls each poll cost. Prints figures; never fails on timing (a benchmark, not a test).
//
//   node scripts/bench-api.mjs [--customers N] [--devices N] [--interval 2s]   (after npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'msp-license.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const CUSTOMERS = Number(arg('customers', 2000));
const DEVICES = Number(arg('devices', 50_000));
const INTERVAL = arg('interval', '2s');
const JOB_SPEED = Number(arg('job-speed', 2500));

const work = mkdtempSync(join(tmpdir(), 'msp-license-bench-api-'));
const env = { ...process.env, MSP_LICENSE_CONFIG_DIR: join(work, 'config'), NO_COLOR: '1' };
for (const name of ['MSP_LICENSE_PROFILE', 'MSP_LICENSE_BASE_URL', 'MSP_LICENSE_ACCESS_TOKEN'])
  delete env[name];

const sandbox = spawn(
  process.execPath,
  [
    BIN,
    'sandbox',
    '--json',
    '--write-profile',
    'bench',
    '--customers',
    String(CUSTOMERS),
    '--devices',
    String(DEVICES),
    '--job-speed',
    String(JOB_SPEED),
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const info = await new Promise((ok, fail) => {
  createInterface({ input: sandbox.stdout }).once('line', (line) => ok(JSON.parse(line)));
  sandbox.once('exit', (code) => fail(new Error(`sandbox exited ${code}`)));
});
// Asynchronous on purpose: a blocked event loop would miss the sandbox closing idle connections.
const cli = (args) =>
  new Promise((ok) => {
    const child = spawn(process.execPath, [BIN, '--profile', 'bench', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.once('close', (status) => ok({ status, stdout, stderr }));
  });

try {
  // The customers list comes from the cache in a real cron run; fill it first, then measure the job alone.
  const customers = JSON.parse((await cli(['--json', 'customers'])).stdout).customers;
  const exclude = customers
    .slice(0, 2)
    .map((c) => c.id)
    .join(',');
  await fetch(`${info.url}/__sandbox/log`, { method: 'DELETE' });
  await new Promise((r) => setTimeout(r, 1100));

  const started = performance.now();
  const run = await cli([
    '--json',
    'assign',
    '--services',
    'foundation_ap',
    '--exclude',
    exclude,
    '--wait',
    '--interval',
    INTERVAL,
    '--timeout',
    '20m',
  ]);
  const seconds = (performance.now() - started) / 1000;
  const log = await (await fetch(`${info.url}/__sandbox/log`)).json();
  const result = run.status === 0 ? JSON.parse(run.stdout) : undefined;

  const times = log.requests.map((r) => r.t).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  const r429 = log.requests.filter((r) => r.status === 429).length;
  const polls = result?.wait?.polls ?? 0;
  const statsCalls = log.counts['GET /platform/licensing/v1/subscriptions/stats'] ?? 0;
  // Stats calls before the job: the tenant-wide one per service plus one per service for each
  // customer on the cheaper side of the scope (here the 2 excluded). The rest are the polls.
  const planning = 1 + 2;

  console.log(
    `\nmsp-license API cost: assign --wait, ${CUSTOMERS.toLocaleString('en-US')} customers / ${DEVICES.toLocaleString('en-US')} devices, --interval ${INTERVAL}, rate limits enforced`,
  );
  console.log(`exit code                      ${run.status}${run.status ? `  ${run.stderr.trim()}` : ''}`);
  console.log(`wall time                      ${seconds.toFixed(1)} s`);
  console.log(
    `devices licensed               ${result?.wait ? `${result.wait.done.toLocaleString('en-US')} / ${result.wait.needed?.toLocaleString('en-US')}` : '?'}`,
  );
  console.log(`API calls in all               ${log.total}`);
  for (const [endpoint, n] of Object.entries(log.counts)) console.log(`  ${endpoint.padEnd(60)} ${n}`);
  console.log(
    `busiest 1-second window        ${busiest} calls   (limit 7: ${busiest <= 7 ? 'ok' : 'EXCEEDED'})`,
  );
  console.log(`average rate                   ${(log.total / seconds).toFixed(2)} calls/s`);
  console.log(`429s drawn                     ${r429}   (${r429 === 0 ? 'ok' : 'NOT ok'})`);
  console.log(`polls                          ${polls}`);
  console.log(
    `calls per poll                 ${polls ? ((statsCalls - planning) / polls).toFixed(2) : '-'}   (one stats call per service)`,
  );
} finally {
  sandbox.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
