#!/usr/bin/env node
// npm run bench:policy — the API cost of `plan -f POLICY` (README, "Licensing as code") on a
// sandbox estate of 2,000 customers / 50,000 devices that enforces 7 calls/s: calls in all and
// per endpoint, wall time, 429s, and the share of Central's starting day budget (5,000 calls).
// Two runs: cold (no auto-licensing answers cached) and warm (answers cached less than 6 h ago,
// as in a cron job that runs `plan --check` more than once a day). Prints figures; never fails
// on timing (a benchmark, not a test).
//
//   node scripts/bench-policy.mjs [--customers N] [--devices N] [--policy FILE]   (after npm run build)
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
const POLICY = resolve(arg('policy', join(ROOT, 'examples', 'licensing.yaml')));
/** Central's documented starting budget; the sandbox is given more so that both runs complete. */
const DAY_BUDGET = 5000;

const work = mkdtempSync(join(tmpdir(), 'msp-license-bench-policy-'));
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
    '--daily-limit',
    '1000000',
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const info = await new Promise((ok, fail) => {
  createInterface({ input: sandbox.stdout }).once('line', (line) => ok(JSON.parse(line)));
  sandbox.once('exit', (code) => fail(new Error(`sandbox exited ${code}`)));
});
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

const n = (x) => x.toLocaleString('en-US');

async function measure(label) {
  await fetch(`${info.url}/__sandbox/log`, { method: 'DELETE' });
  await new Promise((r) => setTimeout(r, 1100));
  const started = performance.now();
  const run = await cli(['--json', 'plan', '-f', POLICY, '--yes']);
  const seconds = (performance.now() - started) / 1000;
  const log = await (await fetch(`${info.url}/__sandbox/log`)).json();
  const result = run.status === 0 ? JSON.parse(run.stdout) : undefined;
  const r429 = log.requests.filter((r) => r.status === 429).length;
  console.log(`\n${label}`);
  console.log(`exit code                      ${run.status}${run.status ? `  ${run.stderr.trim()}` : ''}`);
  console.log(`wall time                      ${seconds.toFixed(1)} s`);
  console.log(
    `customers under the policy     ${result ? n(result.customersCovered) : '?'}; ${result ? `${n(result.jobs.length)} jobs, ${n(result.drift.length)} customers drifted` : ''}`,
  );
  console.log(`API calls in all               ${n(log.total)}`);
  for (const [endpoint, count] of Object.entries(log.counts).sort((a, b) => b[1] - a[1]))
    console.log(`  ${endpoint.padEnd(66)} ${n(count)}`);
  console.log(`average rate                   ${(log.total / seconds).toFixed(2)} calls/s`);
  console.log(`429s drawn                     ${r429}`);
  console.log(
    `share of a ${n(DAY_BUDGET)}-call day budget   ${((100 * log.total) / DAY_BUDGET).toFixed(1)} %`,
  );
}

try {
  console.log(
    `msp-license API cost: plan -f ${POLICY.replace(`${ROOT}/`, '')}, ${n(CUSTOMERS)} customers / ${n(DEVICES)} devices, 7 calls/s enforced`,
  );
  await measure('cold: no auto-licensing answer cached');
  await measure('warm: auto-licensing answers cached (< 6 h), as a second plan --check the same day');
} finally {
  sandbox.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
