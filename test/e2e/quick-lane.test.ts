// The quick lane (dist/quick-NAME.cjs, no commander) answers as the full CLI does: for every argv it
// takes, bin/msp-license.js prints the same bytes on stdout and stderr and exits with the same
// code as dist/main.js (the commander lane, always) — on pipes, on a file, on /dev/null, in a
// pseudo-terminal — and a reader that leaves early ends it quietly. Against a real sandbox, so
// that the config, the caches and the history are the ones the CLI wrote itself.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, baseEnv, ROOT } from '../helpers/cli.js';
import { cleanupAll, type World, world } from '../helpers/e2e.js';
import { clearLog, requestLog } from '../helpers/sandbox.js';

const MAIN = join(ROOT, 'dist', 'main.js');
let w: World;
let env: Record<string, string>;

beforeAll(async () => {
  w = await world({ customers: 40, devices: 400 });
  env = { ...baseEnv(w.dir), NO_COLOR: '1' };
  // Caches and a history entry, written by the CLI itself.
  for (const args of [
    ['services'],
    ['customers'],
    ['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string, '--yes'],
  ]) {
    const result = await w.cli(args);
    expect(result.code, result.stderr).toBe(0);
  }
}, 120_000);
afterAll(cleanupAll);

/** argv through `entry` (bin/: the quick lane where it applies; dist/main.js: commander), NO_COLOR. */
const run = (entry: string, args: string[]) => w.cli(args, { entry, env: { NO_COLOR: '1' } });

const SAME: string[][] = [
  ['services'],
  ['services', '--all'],
  ['--json', 'services'],
  ['customers'],
  ['customers', '--json'],
  ['profiles'],
  ['profiles', '--json'],
  ['history'],
  ['history', '--limit', '1', '--json'],
  ['history', '--limit', '0'],
  ['history', '--since', 'yesterday'],
  ['auth', 'status', '--offline'],
  ['auth', 'status', '--offline', '--json'],
  ['completion', 'bash'],
  ['completion', 'zsh'],
  ['completion', 'fish'],
  ['completion', 'tcsh'],
  ['--profile', 'nobody', 'services'],
  // bin/ loads the bundle of the first command word it sees (customers'), which declines `services`.
  ['--profile', 'customers', 'services'],
  ['-q', 'customers'],
  ['assign', '--bogus'],
  ['assign', '--servics', 'foundation_ap', '--json'],
  ['assign', '-s', 'foundation_ap'],
  ['unassign', '-s', 'foundation_ap', '--all-customers', '--include', 'x'],
  ['history', '--limt', '2'],
  // Commander reads on past an unknown option: a known one missing its value, or help in a
  // group of short flags, is what it reports.
  ['services', '--foo', '-p'],
  ['history', '--foo', '--limit'],
  ['services', '--foo', '-qh'],
  ['history', '--foo', '-qV'],
  // One word holding a space is no command word (bin/'s help lookup must not take it for two).
  ['help', 'auth status'],
  ['auth status', '--help'],
];

describe('the quick lane answers as the commander lane does', () => {
  test.each(SAME)('%j: same stdout, stderr and exit code', async (...args) => {
    const [quick, full] = await Promise.all([run(BIN, args), run(MAIN, args)]);
    // `auth status` counts the token's life down by the second: two runs may straddle one.
    const left = (text: string) => Number(/"accessTokenExpiresInSeconds": (\d+)/.exec(text)?.[1] ?? 0);
    expect(Math.abs(left(quick.stdout) - left(full.stdout))).toBeLessThanOrEqual(2);
    const steady = (result: typeof quick) => ({
      ...result,
      stdout: result.stdout.replace(/("accessTokenExpiresInSeconds": )\d+/, '$1N'),
    });
    expect(steady(quick)).toEqual(steady(full));
    expect(quick.stdout.length + quick.stderr.length).toBeGreaterThan(0);
  });

  test('a dry run against the gateway: the same plan, the same calls', async () => {
    const args = ['assign', '-s', 'foundation_ap', '--exclude', w.ids[1] as string, '--dry-run'];
    const calls = async (entry: string) => {
      await clearLog(w.sandbox);
      const result = await run(entry, args);
      return { result, calls: (await requestLog(w.sandbox)).requests.map((r) => `${r.method} ${r.path}`) };
    };
    const quick = await calls(BIN);
    expect(quick.result.code, quick.result.stderr).toBe(0);
    expect(quick).toEqual(await calls(MAIN));
    expect(quick.calls.length).toBeGreaterThan(0);
  });

  test('the quick lane is the one that ran (no commander in the process)', () => {
    // bin/ registers each bundle it loads in require.cache, as require() would.
    const probe = `process.on('exit',()=>{for(const f of Object.keys(require.cache))if(/dist\\/[\\w-]+\\.cjs$/.test(f))process.stderr.write('LOADED '+f+'\\n')});`;
    const quick = spawnSync(
      process.execPath,
      [
        '-e',
        `${probe}process.argv.splice(1,0,${JSON.stringify(BIN)});require(${JSON.stringify(BIN)})`,
        'services',
      ],
      { env, encoding: 'utf8' },
    );
    expect(quick.status).toBe(0);
    expect(quick.stdout).toContain('foundation_ap');
    expect(quick.stderr).toContain('dist/quick-services.cjs');
    expect(quick.stderr).not.toContain('dist/cli.cjs');
    // ...and argv it does not read goes to the full CLI.
    const full = spawnSync(
      process.execPath,
      [
        '-e',
        `${probe}process.argv.splice(1,0,${JSON.stringify(BIN)});require(${JSON.stringify(BIN)})`,
        'services',
        '-x',
      ],
      { env, encoding: 'utf8' },
    );
    expect(full.status).toBe(2);
    expect(full.stderr).toContain('LOADED');
    expect(full.stderr).toContain('dist/cli.cjs');
    expect(full.stderr).toContain("Unknown option '-x'");
  });

  test('stdout on a file and on /dev/null, stderr on a file: the same bytes, nothing lost', () => {
    const out = join(w.root, 'out.txt');
    const err = join(w.root, 'err.txt');
    const shell = (entry: string) => {
      const result = spawnSync(
        'bash',
        [
          '-c',
          `"$0" "$1" customers > "$2" 2> "$3"; echo $?; "$0" "$1" profiles > /dev/null 2>> "$3"; echo $?`,
          process.execPath,
          entry,
          out,
          err,
        ],
        { env, encoding: 'utf8' },
      );
      return { codes: result.stdout, out: readFileSync(out, 'utf8'), err: readFileSync(err, 'utf8') };
    };
    const quick = shell(BIN);
    expect(quick).toEqual(shell(MAIN));
    expect(quick.codes).toBe('0\n0\n');
    expect(quick.out.split('\n').length).toBeGreaterThan(40);
  });

  test("cron's > /dev/null 2>&1 is no terminal: node:tty, net and stream are never loaded", () => {
    // /dev/null is a character device, like a terminal: told apart by its device number.
    const report = join(w.root, 'modules.txt');
    const preload = join(w.root, 'modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.filter((m) => /^NativeModule (tty|net|stream)$/.test(m)).join(',') || 'none'));`,
    );
    for (const args of [['services'], ['profiles'], ['--version'], ['assign', '--help']]) {
      const result = spawnSync(
        'bash',
        [
          '-c',
          'p=$1 b=$2; shift 2; "$0" -r "$p" "$b" "$@" > /dev/null 2>&1; echo $?',
          process.execPath,
          preload,
          BIN,
          ...args,
        ],
        { env, encoding: 'utf8' },
      );
      expect(result.stdout, args.join(' ')).toBe('0\n');
      expect(readFileSync(report, 'utf8'), args.join(' ')).toBe('none');
    }
    // The same probe sees them in a terminal, where the streams are needed.
    const tty = spawnSync(
      'script',
      ['-qfec', `"${process.execPath}" -r "${preload}" "${BIN}" profiles`, '/dev/null'],
      { env, encoding: 'utf8' },
    );
    expect(tty.status).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('NativeModule tty');
  });

  test('a usage error whose reader left: exit 2 in both lanes, no stack trace', () => {
    const gone = (entry: string) =>
      spawnSync(
        'bash',
        [
          '-c',
          `(sleep 0.3; "$0" "$1" services --foo 2>&1 >/dev/null; echo "exit $?" >&2) | true`,
          process.execPath,
          entry,
        ],
        { env, encoding: 'utf8' },
      );
    for (const entry of [BIN, MAIN]) expect(gone(entry).stderr, entry).toBe('exit 2\n');
  });

  test('an error before the command runs (no home directory): reported as commander reports it', () => {
    // Neither HOME nor MSP_LICENSE_CONFIG_DIR, and os.homedir() failing as it does for a user
    // missing from /etc/passwd: the config dir cannot be found before the command's own try.
    const preload = join(w.root, 'no-home.cjs');
    writeFileSync(
      preload,
      "require('node:os').homedir = () => { throw new Error('uv_os_homedir returned ENOENT'); };\n",
    );
    const bare = (entry: string, args: string[]) =>
      spawnSync(process.execPath, ['-r', preload, entry, ...args], {
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
    const quick = bare(BIN, ['profiles']);
    expect(quick.stderr).toBe('Error: Unexpected error: uv_os_homedir returned ENOENT\n');
    expect(quick.status).toBe(1);
    expect({ ...bare(MAIN, ['profiles']), pid: 0, output: [] }).toMatchObject({
      stderr: quick.stderr,
      status: quick.status,
    });
    // With -v, the stack names the bundle where it is (dist/), not the build's staging dir: Node
    // 20 names a script compiled from a code cache after the one the cache was made from.
    const traced = bare(BIN, ['-v', 'profiles']);
    expect(traced.stderr).toContain(join(ROOT, 'dist', 'quick-profiles.cjs'));
    expect(traced.stderr).not.toMatch(/dist\.tmp-/);
  });

  test('a reader that leaves early (| head -1): exit 0, no error', () => {
    const result = spawnSync(
      'bash',
      ['-c', `"$0" "$1" customers | head -1; echo "exit \${PIPESTATUS[0]}"`, process.execPath, BIN],
      { env, encoding: 'utf8' },
    );
    expect(result.stdout).toMatch(/^CUSTOMER ID .*\nexit 0\n$/);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });

  test('in a terminal: the same screen as the commander lane, colours included', () => {
    const screen = (entry: string, args: string) => {
      const result = spawnSync(
        'script',
        ['-qfec', `stty cols 90 rows 30; exec "${process.execPath}" "${entry}" ${args}`, '/dev/null'],
        {
          env: { ...baseEnv(w.dir), TERM: 'xterm-256color' },
          encoding: 'utf8',
        },
      );
      return { code: result.status, screen: result.stdout };
    };
    for (const args of ['services', 'profiles', 'auth status --offline', 'customers']) {
      const quick = screen(BIN, args);
      expect(quick.code).toBe(0);
      expect(quick).toEqual(screen(MAIN, args));
    }
    // Colour reached the terminal (stderr's note is dimmed or the table styled).
    expect(screen(BIN, 'services').screen).toContain('\u001b[');
  });
});
