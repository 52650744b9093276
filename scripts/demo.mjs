// `npm run demo`: the main job end to end against the sandbox, in a throw-away config dir:
// start a simulated Central, log a profile in, assign foundation_ap to every customer but two
// with --wait (spinner on a terminal, timestamped lines otherwise), show the result, stop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'msp-license.js');
const dir = mkdtempSync(join(tmpdir(), 'msp-license-demo-'));
const env = { ...process.env, MSP_LICENSE_CONFIG_DIR: join(dir, 'config') };
delete env.MSP_LICENSE_PROFILE;
delete env.MSP_LICENSE_ACCESS_TOKEN;
delete env.MSP_LICENSE_BASE_URL;

const bold = process.stderr.isTTY && !process.env.NO_COLOR ? (t) => `\u001b[1m${t}\u001b[22m` : (t) => t;
const say = (text) => process.stderr.write(`\n${bold(`# ${text}`)}\n`);
const show = (args) =>
  process.stderr.write(`$ msp-license ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}\n`);

function cli(args, options = {}) {
  show(args);
  const result = spawnSync(process.execPath, [bin, ...args], {
    env,
    stdio: [
      options.input === undefined ? 'inherit' : 'pipe',
      options.capture ? 'pipe' : 'inherit',
      'inherit',
    ],
    input: options.input,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`msp-license ${args[0]} exited ${result.status}`);
  return result.stdout;
}

say('Start a simulated Central (sandbox) on 127.0.0.1: 40 customers, 2,000 devices');
const sandbox = spawn(
  process.execPath,
  [bin, 'sandbox', '--json', '--customers', '40', '--devices', '2000', '--job-speed', '150'],
  {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const info = await new Promise((resolveInfo, reject) => {
  const rl = createInterface({ input: sandbox.stdout });
  rl.once('line', (line) => resolveInfo(JSON.parse(line)));
  sandbox.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
});
let code = 0;
try {
  say("Log in, as with Central's Download Token JSON (the client secret comes from stdin)");
  const tokenFile = join(dir, 'token.json');
  writeFileSync(
    tokenFile,
    JSON.stringify({
      access_token: info.accessToken,
      refresh_token: info.refreshToken,
      expires_in: info.expiresIn,
      token_type: 'bearer',
    }),
    { mode: 0o600 },
  );
  cli(
    [
      '--profile',
      'demo',
      'login',
      '--base-url',
      info.url,
      '--client-id',
      info.clientId,
      '--client-secret-stdin',
      '--token-file',
      tokenFile,
    ],
    {
      input: `${info.clientSecret}\n`,
    },
  );

  say('Pick two customers to leave out');
  const customers = JSON.parse(cli(['--json', 'customers'], { capture: true })).customers;
  const [c1, c2] = customers;
  process.stderr.write(`  excluding ${c1.name} (${c1.id}) and ${c2.name} (${c2.id})\n`);

  say('The main job: assign foundation_ap to all devices of every customer but those two, and wait');
  cli([
    'assign',
    '--services',
    'foundation_ap',
    '--exclude',
    `${c1.id},${c2.id}`,
    '--yes',
    '--wait',
    '--interval',
    '2s',
  ]);

  say('Coverage afterwards');
  cli(['status', '--services', 'foundation_ap', '--include', `${c1.id},${c2.id},${customers[2].id}`]);

  say('The audit log');
  cli(['history']);
} catch (error) {
  process.stderr.write(`demo failed: ${error.message}\n`);
  code = 1;
} finally {
  sandbox.kill('SIGINT');
  await new Promise((r) => sandbox.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
