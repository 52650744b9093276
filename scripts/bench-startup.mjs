// Start-up benchmark (README, "Development" and "Start-up"): median and p90 wall time of short runs of the built
// CLI next to `node -e 0`, measured side by side in one run, round-robin so that machine noise
// spreads over every command alike. Target: --help, --version and a completion callback within
// 1.2x of the floor. Prints figures; asserts nothing.
//
//   npm run bench:startup                 # 30 runs each
//   node scripts/bench-startup.mjs --runs 50 --cpu [--json] [--bin other/bin/msp-license.js]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
// --bin FILE: measure another build of the CLI (e.g. a candidate start-up change) the same way.
const bin = path.resolve(option('--bin') ?? path.join(root, 'bin', 'msp-license.js'));
const runs = Number(option('--runs')) || 30;
const json = args.includes('--json');
// --cpu: also each child's own CPU time (user+system, from a preload that writes
// process.cpuUsage() at exit): less swayed by a busy machine than wall time.
const cpu = args.includes('--cpu');
const warmups = 3;

if (!option('--bin') && !fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
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
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ defaultProfile: 'bench', profiles: { bench: {} } }),
  );
  fs.writeFileSync(
    path.join(cache, 'services.json'),
    JSON.stringify({ fetchedAt: now, baseUrl, data: services }),
  );
  fs.writeFileSync(
    path.join(cache, 'customers.json'),
    JSON.stringify({ fetchedAt: now, baseUrl, data: customers }),
  );
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
    notes.push(
      `sandbox did not start (${stderr.trim().split('\n')[0] || 'no output'}): skipped services/assign`,
    );
    return undefined;
  }
  // Fill the caches once; the measured runs then read them.
  for (const warm of [['services'], ['customers', '--json']]) {
    const result = spawnSync(process.execPath, [bin, '--profile', 'bench', ...warm], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      notes.push(
        `'${warm.join(' ')}' failed (exit ${result.status}): ${result.stderr.trim().split('\n')[0]}`,
      );
      return undefined;
    }
  }
  let customer = 'c1';
  try {
    const listed = JSON.parse(
      spawnSync(process.execPath, [bin, '--profile', 'bench', 'customers', '--json'], {
        env,
        encoding: 'utf8',
      }).stdout,
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
      argv: [
        bin,
        '--profile',
        'bench',
        'assign',
        '--services',
        'foundation_ap',
        '--include',
        sb.customer,
        '--dry-run',
      ],
      env: sb.env,
    },
  );
}

const cpuOut = path.join(tmp, 'cpu.txt');
const cpuPreload = path.join(tmp, 'cpu-preload.mjs');
fs.writeFileSync(
  cpuPreload,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(${JSON.stringify(cpuOut)}, String((user + system) / 1000));
});
`,
);

/** One run: wall ms (and, with --cpu, the child's own CPU ms). */
function once(command) {
  const argv = cpu ? ['--import', pathToFileURL(cpuPreload).href, ...command.argv] : command.argv;
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !command.failed) {
    command.failed = true;
    notes.push(`'${command.label}' exited ${result.status}: ${String(result.stderr).trim().split('\n')[0]}`);
  }
  return { wall, cpu: cpu ? Number(fs.readFileSync(cpuOut, 'utf8')) : 0 };
}

for (const command of commands) {
  command.times = [];
  command.cpu = [];
}
for (let i = 0; i < warmups + runs; i++) {
  for (const command of commands) {
    const sample = once(command);
    if (i < warmups) continue;
    command.times.push(sample.wall);
    command.cpu.push(sample.cpu);
  }
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const quantile = (values, q) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
const median = (values) =>
  values.length % 2
    ? values[(values.length - 1) / 2]
    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
const floor = median(sorted(commands[0].times));
const cpuFloor = median(sorted(commands[0].cpu));
const rows = commands.map((command) => {
  const times = sorted(command.times);
  const med = median(times);
  const row = {
    command: command.label,
    medianMs: Number(med.toFixed(1)),
    p90Ms: Number(quantile(times, 0.9).toFixed(1)),
    ratio: Number((med / floor).toFixed(2)),
  };
  if (cpu) {
    const cpuMedian = median(sorted(command.cpu));
    row.cpuMs = Number(cpuMedian.toFixed(1));
    row.cpuRatio = Number((cpuMedian / cpuFloor).toFixed(2));
  }
  row.target = command.target ? (med / floor <= 1.2 ? 'ok (<=1.2x)' : 'MISSED (>1.2x)') : '';
  return row;
});

if (json) {
  console.log(
    JSON.stringify(
      { node: process.version, runs, cpus: os.cpus().length, loadavg: os.loadavg(), rows, notes },
      null,
      2,
    ),
  );
} else {
  const load = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  console.log(
    `msp-license start-up: ${runs} runs each, round-robin, node ${process.version}, ${os.cpus().length} CPUs, load ${load}`,
  );
  const width = Math.max(...rows.map((row) => row.command.length));
  const cpuHead = cpu ? `  ${'cpu ms'.padStart(7)}  ${'cpu x'.padStart(6)}` : '';
  console.log(
    `${'command'.padEnd(width)}  ${'median ms'.padStart(9)}  ${'p90 ms'.padStart(8)}  ${'ratio'.padStart(6)}${cpuHead}`,
  );
  for (const row of rows) {
    const cpuCells = cpu
      ? `  ${row.cpuMs.toFixed(1).padStart(7)}  ${`${row.cpuRatio.toFixed(2)}x`.padStart(6)}`
      : '';
    console.log(
      `${row.command.padEnd(width)}  ${row.medianMs.toFixed(1).padStart(9)}  ${row.p90Ms.toFixed(1).padStart(8)}  ${`${row.ratio.toFixed(2)}x`.padStart(6)}${cpuCells}  ${row.target}`,
    );
  }
  if (cpu)
    console.log(
      "cpu: the child process's own user+system time (a preload adds the same small cost to every row)",
    );
  for (const note of notes) console.log(`note: ${note}`);
}
cleanup();
process.exit(0);
