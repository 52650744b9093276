#!/usr/bin/env node
// npm run bench:scale — 10,000 customers / 200,000 devices (README, "Development"): fetch and
// cache every customer against the rate-limit floor (pages / 7 per second), list and resolve them
// from the cache, plan a dry run over all of them. Prints figures (a table), never fails on timing:
// it is a benchmark, not a test. Targets: fetch within 1.3x of the floor, peak RSS under 150 MB,
// no 429 drawn from a sandbox that enforces 7 calls/s.
//
//   node scripts/bench-scale.mjs [--customers N] [--devices N]   (after npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'msp-license.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 10_000);
const DEVICES = arg('devices', 200_000);
const RATE = 7;

const work = mkdtempSync(join(tmpdir(), 'msp-license-bench-'));
const configDir = join(work, 'config');
// Peak RSS of each CLI run, from inside: a preload writes process.resourceUsage().maxRSS (KiB) on
// exit (the CLI ends with process.exit, which still runs 'exit' listeners). Works wherever Node does.
const rssFile = join(work, 'maxrss');
const preload = join(work, 'maxrss.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => { try { require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)); } catch {} });\n`,
);
const env = { ...process.env, MSP_LICENSE_CONFIG_DIR: configDir, NO_COLOR: '1' };
delete env.MSP_LICENSE_PROFILE;
delete env.MSP_LICENSE_BASE_URL;
delete env.MSP_LICENSE_ACCESS_TOKEN;

function startSandbox() {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'sandbox',
      '--json',
      '--customers',
      String(CUSTOMERS),
      '--devices',
      String(DEVICES),
      '--write-profile',
      'bench',
    ],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolvePromise({ child, info: JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it was ready`)));
    child.once('error', reject);
  });
}

function runCli(args) {
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', preload, BIN, '--profile', 'bench', ...args], {
    env,
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
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      let rssMb;
      try {
        rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {}
      resolvePromise({ code, ms, rssMb, stdout, stderr });
    });
  });
}

async function sandboxLog(url) {
  const res = await fetch(`${url}/__sandbox/log`);
  return res.json();
}
const clearLog = (url) => fetch(`${url}/__sandbox/log`, { method: 'DELETE' });

const rows = [];
async function step(name, url, args, check) {
  await clearLog(url);
  // A fresh calendar second: the previous step's calls must not count against this one.
  await new Promise((r) => setTimeout(r, 1100));
  const run = await runCli(args);
  const log = await sandboxLog(url);
  const r429 = log.requests.filter((r) => r.status === 429).length;
  if (run.code !== 0) {
    process.stderr.write(`${name}: exit ${run.code}\n${run.stderr}\n`);
  }
  const row = {
    name,
    code: run.code,
    seconds: run.ms / 1000,
    calls: log.total,
    r429,
    rssMb: run.rssMb,
    ...check?.(run, log),
  };
  rows.push(row);
  process.stderr.write(`  ${name}: ${row.seconds.toFixed(2)} s, ${row.calls} calls\n`);
  return { run, log, row };
}

const fmt = (x, digits = 1) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));

let sandbox;
try {
  process.stderr.write(
    `Starting a sandbox of ${CUSTOMERS.toLocaleString('en-US')} customers / ${DEVICES.toLocaleString('en-US')} devices…\n`,
  );
  const t0 = performance.now();
  sandbox = await startSandbox();
  const { url } = sandbox.info;
  process.stderr.write(`  ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${url}\n`);

  const fetchStep = await step(
    'customers --refresh (fetch + cache all)',
    url,
    ['--json', 'customers', '--refresh'],
    (run, log) => {
      const parsed = JSON.parse(run.stdout);
      const pages = log.counts['GET /msp_api/v1/customers'] ?? 0;
      const floor = pages / RATE;
      return {
        pages,
        floor,
        ratio: run.ms / 1000 / floor,
        detail: `${parsed.count} customers (${new Set(parsed.customers.map((c) => c.id)).size} unique) in ${pages} pages; floor ${fmt(floor)} s`,
      };
    },
  );
  const ids = JSON.parse(fetchStep.run.stdout).customers;

  await step('customers (from cache)', url, ['customers'], (run) => ({
    detail: `${run.stdout.trim().split('\n').length - 1} rows printed`,
  }));
  await step(
    'customers --search (from cache)',
    url,
    ['--json', 'customers', '--search', 'bank 00'],
    (run) => ({
      detail: `${JSON.parse(run.stdout).count} matches, device counts ${JSON.parse(run.stdout).deviceCounts ? 'on' : 'off'}`,
    }),
  );
  await step(
    'assign --dry-run --all-customers',
    url,
    ['--json', 'assign', '-s', 'foundation_ap', '--all-customers', '--dry-run'],
    (run) => {
      const plan = JSON.parse(run.stdout);
      const row = plan.plan[0] ?? {};
      return {
        detail: `${plan.scope.customersInScope} in scope (list of ${plan.scope.customers?.length}); ${row.eligible} eligible, ${row.toChange} to assign, ${row.licensesAvailable} licenses available`,
      };
    },
  );
  const listFile = join(work, 'exclude.txt');
  writeFileSync(
    listFile,
    `${ids
      .slice(0, 1000)
      .map((c, i) => (i % 2 ? c.id : c.name))
      .join('\n')}\n`,
  );
  await step(
    'assign --dry-run --exclude-file (1,000 names/ids)',
    url,
    ['--json', 'assign', '-s', 'foundation_ap', '--exclude-file', listFile, '--dry-run'],
    (run) => {
      const plan = JSON.parse(run.stdout);
      return {
        detail: `${plan.scope.listed.length} resolved, ${plan.scope.customersInScope} in scope, ${plan.requests.length} requests (${plan.strategy})`,
      };
    },
  );

  // The table.
  const head = ['step', 'exit', 'wall s', 'floor s', 'x floor', 'API calls', '429s', 'peak RSS MB', 'notes'];
  const table = rows.map((r) => [
    r.name,
    String(r.code),
    fmt(r.seconds, 2),
    r.floor === undefined ? '-' : fmt(r.floor, 2),
    r.ratio === undefined ? '-' : fmt(r.ratio, 2),
    String(r.calls),
    String(r.r429),
    fmt(r.rssMb),
    r.detail ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(
    `\nScale: ${CUSTOMERS.toLocaleString('en-US')} customers / ${DEVICES.toLocaleString('en-US')} devices, sandbox rate limit ${RATE}/s enforced, page cap 100\n`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));

  const fetchRow = rows[0];
  const peak = Math.max(...rows.map((r) => r.rssMb ?? 0));
  const total429 = rows.reduce((n, r) => n + r.r429, 0);
  console.log('\nTargets');
  console.log(
    `  fetch within 1.3x of the floor: ${fmt(fetchRow.ratio, 2)}x  ${fetchRow.ratio <= 1.3 ? 'met' : 'MISSED'}`,
  );
  console.log(`  peak RSS under 150 MB:          ${fmt(peak)} MB  ${peak < 150 ? 'met' : 'MISSED'}`);
  console.log(`  no 429 drawn:                   ${total429}  ${total429 === 0 ? 'met' : 'MISSED'}`);
  console.log(`  every step exit 0:              ${rows.every((r) => r.code === 0) ? 'yes' : 'NO'}`);
} finally {
  sandbox?.child.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}
