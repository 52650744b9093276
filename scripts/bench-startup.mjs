// Start-up benchmark (SPEC "Quality targets"): median and p90 wall time of short runs of the built
// CLI next to `node -e 0`, measured side by side in one run, round-robin so that machine noise
// spreads over every command alike. Target: --help, --version and a completion callback within
// 1.2x of the floor. Prints figures; asserts nothing.
//
//   npm run bench:startup                 # 30 runs each
//   node scripts/bench-startup.mjs --runs 50 --json
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'msp-license.js');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 30;
const json = args.includes('--json');
const warmups = 3;

if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.error('dist/cli.js is missing: run `npm run build` first (npm run bench:startup does).');
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-license-bench-'));
const notes = [];
let sandbox;

function cleanup() {
  if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGTERM');
  sandbox = undefined;
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

/** A config dir with a profile and caches, as the CLI writes them, so completion has data to read. */
function completionFixture() {
  const dir = path.join(tmp, 'completion');
  const cache = path.join(dir, 'cache', 'bench');
  fs.mkdirSync(cache, { recursive: true });
  const now = Date.now();
  const baseUrl = 'https://127.0.0.1:9';
  const services = ['foundation_ap', 'advanced_ap', 'foundation_switch_6200', 'advanced_switch_6300'].map(
    (name) => ({ name, category: name.split('_')[0], deviceType: 'IAP', central: true }),
  );
  const customers = Array.from({ length: 2000 }, (_, i) => ({ id: `c${i + 1}`, name: `Customer ${i + 1}` }));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ defaultProfile: 'bench', profiles: { bench: {} } }));
  fs.writeFileSync(path.join(cache, 'services.json'), JSON.stringify({ fetchedAt: now, baseUrl, data: services }));
  fs.writeFileSync(path.join(cache, 'customers.json'), JSON.stringify({ fetchedAt: now, baseUrl, data: customers }));
  return dir;
}

/** Starts the sandbox with a ready profile in its own config dir; undefined (with a note) if it cannot. */
async function startSandbox() {
  const dir = path.join(tmp, 'sandbox');
  const env = { ...process.env, MSP_LICENSE_CONFIG_DIR: dir, NO_COLOR: '1' };
  sandbox = spawn(process.execPath, [bin, 'sandbox', '--json', '--write-profile', 'bench'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  sandbox.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const first = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 15_000);
    createInterface({ input: sandbox.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    sandbox.once('exit', () => resolve(undefined));
  });
  let info;
  try {
    info = first ? JSON.parse(first) : undefined;
  } catch {
    info = undefined;
  }
  if (!info?.url) {
    notes.push(`sandbox did not start (${stderr.trim().split('\n')[0] || 'no output'}): skipped services/assign`);
    return undefined;
  }
  // Fill the caches once; the measured runs then read them.
  for (const warm of [['services'], ['customers', '--json']]) {
    const result = spawnSync(process.execPath, [bin, '--profile', 'bench', ...warm], { env, encoding: 'utf8' });
    if (result.status !== 0) {
      notes.push(`'${warm.join(' ')}' failed (exit ${result.status}): ${result.stderr.trim().split('\n')[0]}`);
      return undefined;
    }
  }
  let customer = 'c1';
  try {
    const listed = JSON.parse(
      spawnSync(process.execPath, [bin, '--profile', 'bench', 'customers', '--json'], { env, encoding: 'utf8' })
        .stdout,
    );
    const list = Array.isArray(listed) ? listed : (listed.customers ?? []);
    customer = list[0]?.id ?? customer;
  } catch {
    // keep the guess
  }
  return { env, customer };
}

const completionEnv = { ...process.env, MSP_LICENSE_CONFIG_DIR: completionFixture(), NO_COLOR: '1' };
const commands = [
  { label: 'node -e 0 (floor)', argv: ['-e', '0'], env: process.env },
  { label: '--help', argv: [bin, '--help'], env: completionEnv, target: true },
  { label: '--version', argv: [bin, '--version'], env: completionEnv, target: true },
  {
    label: '__complete assign --services fou',
    argv: [bin, '__complete', 'assign', '--services', 'fou'],
    env: completionEnv,
    target: true,
  },
  {
    label: '__complete assign --include Cust',
    argv: [bin, '__complete', 'assign', '--include', 'Customer 1'],
    env: completionEnv,
    target: true,
  },
];

const sb = await startSandbox();
if (sb) {
  commands.push(
    { label: 'services (cached)', argv: [bin, '--profile', 'bench', 'services'], env: sb.env },
    {
      label: 'assign --dry-run (cached)',
      argv: [bin, '--profile', 'bench', 'assign', '--services', 'foundation_ap', '--include', sb.customer, '--dry-run'],
      env: sb.env,
    },
  );
}

function once(command) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, command.argv, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !command.failed) {
    command.failed = true;
    notes.push(`'${command.label}' exited ${result.status}: ${String(result.stderr).trim().split('\n')[0]}`);
  }
  return ms;
}

for (const command of commands) command.times = [];
for (let i = 0; i < warmups + runs; i++) {
  for (const command of commands) {
    const ms = once(command);
    if (i >= warmups) command.times.push(ms);
  }
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (sorted) =>
  sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const floor = median([...commands[0].times].sort((a, b) => a - b));
const rows = commands.map((command) => {
  const sorted = [...command.times].sort((a, b) => a - b);
  const med = median(sorted);
  return {
    command: command.label,
    medianMs: Number(med.toFixed(1)),
    p90Ms: Number(quantile(sorted, 0.9).toFixed(1)),
    ratio: Number((med / floor).toFixed(2)),
    target: command.target ? (med / floor <= 1.2 ? 'ok (<=1.2x)' : 'MISSED (>1.2x)') : '',
  };
});

if (json) {
  console.log(JSON.stringify({ node: process.version, runs, rows, notes }, null, 2));
} else {
  console.log(`msp-license start-up: ${runs} runs each, round-robin, node ${process.version}, ${os.cpus().length} CPUs`);
  const width = Math.max(...rows.map((row) => row.command.length));
  console.log(`${'command'.padEnd(width)}  ${'median ms'.padStart(9)}  ${'p90 ms'.padStart(8)}  ${'ratio'.padStart(6)}`);
  for (const row of rows) {
    console.log(
      `${row.command.padEnd(width)}  ${row.medianMs.toFixed(1).padStart(9)}  ${row.p90Ms.toFixed(1).padStart(8)}  ${`${row.ratio.toFixed(2)}x`.padStart(6)}  ${row.target}`,
    );
  }
  for (const note of notes) console.log(`note: ${note}`);
}
cleanup();
process.exit(0);
