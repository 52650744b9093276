// The quick lane (src/quick.ts) reads argv without commander: for every argv it accepts, the
// command, its words and the typed options (its own and the global ones, with where each came
// from) must be exactly what the commander lane hands the same command; anything it is not sure
// of goes to commander (readArgv → undefined).
import type { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram, invocation, setDispatcher, usageErrorOf } from '../../src/cli.js';
import { commanderUsageError } from '../../src/errors.js';
import { globalOptions } from '../../src/flags.js';
import { parseFlags } from '../../src/options.js';
import { readArgv } from '../../src/quick.js';
import { QUICK_COMMANDS } from '../../src/quick-commands.js';

interface Handed {
  command: unknown;
  globals: unknown;
  options: unknown;
  args: unknown[];
}

/** What the commander lane hands over for argv (the dispatcher replaced: nothing runs). */
async function viaCommander(argv: string[]): Promise<Handed> {
  let handed: Handed | undefined;
  setDispatcher(async (load, command: Command, args, flags) => {
    const { globals, options } = invocation(command, flags);
    handed = { command: load, globals, options: options(), args };
  });
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'msp-license', ...argv]);
  if (!handed) throw new Error(`no command ran for ${argv.join(' ')}`);
  return handed;
}

/** What the quick lane hands over for argv. */
function viaQuick(argv: string[]): Handed | undefined {
  const read = readArgv(argv, process.env);
  if (!read || 'message' in read) return undefined;
  return {
    command: read.command.load,
    globals: globalOptions(read.globals.raw, read.globals.sourceOf),
    options: parseFlags(read.own.set, read.own.raw, read.own.sourceOf),
    args: read.operands,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

const accepted: string[][] = [
  ['services'],
  ['services', '--refresh', '--all'],
  ['--json', 'services'],
  ['services', '--json', '-q'],
  ['-p', 'prod', 'customers', '--search', 'acme'],
  ['customers', '--search=acme corp', '--profile=lab'],
  ['customers', '--search', ''],
  ['--no-color', '--no-input', 'customers', '--refresh'],
  ['profiles'],
  ['profiles', '--json'],
  ['history'],
  ['history', '--limit', '5', '--since', '2026-11-01'],
  ['history', '--limit=1000000'],
  ['auth', 'status'],
  ['auth', 'status', '--offline', '--verbose'],
  ['--base-url', 'http://127.0.0.1:9', 'auth', 'status', '--offline'],
  ['--request-timeout', '5s', 'services'],
  ['completion', 'bash'],
  ['completion', 'fish', '--quiet'],
  ['services', '--profile', 'a', '--profile', 'b'],
  ['assign', '-s', 'foundation_ap', '--include', 'a,b', '--include', 'Acme, Inc.', '--dry-run'],
  [
    'assign',
    '--services=foundation_ap,advanced_ap',
    '-s',
    'x',
    '--exclude',
    'c1',
    '--wait',
    '--timeout',
    '2h',
  ],
  ['assign', '-s', 'x', '--all-customers', '--yes', '--chunk-size', '50', '--stall-after', '90s'],
  ['unassign', '-s', 'x', '--include-file', 'ids.txt', '--interval', '5s'],
  ['assign', '--resume'],
  ['assign', '--resume', 'run-1'],
  ['assign', '--resume=run-2', '--json'],
  ['assign', '--resume', '--yes'],
  ['unassign', '--json', '--resume'],
  ['assign'],
];

describe('argv the quick lane reads', () => {
  it.each(accepted)('%j: the same command, words and typed options as commander', async (...argv) => {
    const quick = viaQuick(argv);
    expect(quick).toBeDefined();
    expect(quick).toEqual(await viaCommander(argv));
  });

  it('variables stand in for flags as with commander (and a bad one is named as the variable)', async () => {
    vi.stubEnv('MSP_LICENSE_PROFILE', 'from-env');
    vi.stubEnv('MSP_LICENSE_BASE_URL', 'http://127.0.0.1:8');
    vi.stubEnv('MSP_LICENSE_REQUEST_TIMEOUT', 'soon');
    for (const argv of [
      ['services'],
      ['--profile', 'given', 'history', '--limit', '2'],
      ['auth', 'status'],
    ]) {
      const quick = viaQuick(argv);
      expect(quick).toEqual(await viaCommander(argv));
      expect(quick?.globals).toMatchObject({
        requestTimeout: 'soon',
        requestTimeoutFrom: 'MSP_LICENSE_REQUEST_TIMEOUT',
      });
    }
    expect(viaQuick(['--profile', 'given', 'services'])?.globals).toMatchObject({ profile: 'given' });
  });

  it('a bad value fails the same way in both lanes (exit 2, naming the flag)', async () => {
    const quick = readArgv(['history', '--limit', '0'], process.env);
    if (!quick || 'message' in quick) throw new Error('not read');
    const own = quick;
    const inQuick = (() => {
      try {
        parseFlags(own.own.set, own.own.raw, own.own.sourceOf);
      } catch (error) {
        return error;
      }
    })();
    let inCommander: unknown;
    setDispatcher(async (_load, command: Command, _args, flags) => {
      try {
        invocation(command, flags).options();
      } catch (error) {
        inCommander = error;
      }
    });
    const program = buildProgram();
    await program.parseAsync(['node', 'msp-license', 'history', '--limit', '0']);
    expect(inQuick).toBeInstanceOf(Error);
    expect(inQuick).toEqual(inCommander);
    expect((inQuick as { exitCode?: number }).exitCode).toBe(2);
    expect(String((inQuick as Error).message)).toContain('--limit');
  });
});

describe('argv it leaves to commander', () => {
  it.each([
    [[], 'no command'],
    [['plan', '-f', 'licensing.yaml'], 'not a quick command'],
    [['autolicense', 'status'], 'not a quick command'],
    [['status'], 'the top-level status calls Central'],
    [['auth', 'refresh'], 'another auth command'],
    [['auth'], 'a command group'],
    [['auth', '--json', 'status'], 'a flag between the words of a command'],
    [['profiles', 'use', 'prod'], 'a subcommand'],
    [['services', 'extra'], 'an extra word (commander: too many arguments)'],
    [['completion'], 'a missing word'],
    [['completion', 'bash', 'zsh'], 'one word too many'],
    [['--bogus', 'services'], 'an unknown option before the command'],
    [['services', 'extra', '--bogus'], 'an unknown option after a word (a subcommand could be meant)'],
    [['services', '--bogus', '--help'], 'an unknown option, and help asked for'],
    [['services', '--bogus', '-V'], 'an unknown option, and the version asked for'],
    [['services', '-x'], 'an unknown short option'],
    [['services', '--help'], 'help'],
    [['services', '-h'], 'help'],
    [['-qv', 'services'], 'combined short flags'],
    [['services', '--'], 'the end of options'],
    [['services', '-'], 'a lone dash'],
    [['customers', '--search'], 'a missing value'],
    [['customers', '--search', '-x'], 'a value that looks like a flag'],
    [['services', '--refresh=yes'], 'a value given to a switch'],
    [['--profile'], 'a missing value, no command'],
    [['-V'], 'the version'],
  ])('%j: %s', (argv) => {
    expect(readArgv(argv as string[], {})).toBeUndefined();
  });
});

/** The usage error the commander lane reports for argv (as main() words it). */
async function commanderError(argv: string[]): Promise<unknown> {
  setDispatcher(async () => {});
  const program = buildProgram();
  let failed: Command = program;
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      outputError: () => {
        failed = command;
      },
    });
    for (const child of command.commands) configure(child);
  };
  configure(program);
  try {
    await program.parseAsync(['node', 'msp-license', ...argv]);
  } catch (error) {
    return usageErrorOf(error as CommanderError, failed);
  }
  throw new Error(`commander took ${argv.join(' ')}`);
}

describe('an unknown option after the command', () => {
  it.each([
    ['services', '--bogus'],
    ['services', '--refesh'],
    ['customers', '--serch', 'x'],
    ['customers', '--jsn'],
    ['history', '--limt', '3'],
    ['auth', 'status', '--ofline'],
    ['auth', 'status', '--hel'],
    ['completion', '--bash'],
    ['assign', '--servics', 'x'],
    ['assign', '-s', 'x', '--dry', '--include', 'c1'],
    ['assign', '--json', '--inclde', 'x'],
    ['unassign', '--al-customers'],
    ['assign', '--prfile', 'p'],
    ['assign', '--bogus=1'],
    ['--profile', 'p', 'assign', '--all', '-s', 'x'],
  ])('%j: the same error as commander (sentence, suggestion, command)', async (...argv) => {
    const read = readArgv(argv, {});
    if (!read || !('message' in read)) throw new Error('not an unknown option to the quick lane');
    const quick = commanderUsageError(read.message, `msp-license ${read.name}`);
    expect(quick).toEqual(await commanderError(argv));
    expect(quick.exitCode).toBe(2);
  });
});

describe('bin/msp-license.js', () => {
  it("loads each command's own quick bundle, by its first word, for exactly the lane's commands", async () => {
    const { readFileSync } = await import('node:fs');
    const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    const bundles = /const QUICK_BUNDLES = (\{[^}]*\})/.exec(read('bin/msp-license.js'))?.[1];
    expect(bundles).toBeDefined();
    const byWord = Object.fromEntries(
      [...(bundles as string).matchAll(/(\w+): '([\w-]+)'/g)].map((match) => [match[1], match[2]]),
    );
    const expected = Object.fromEntries(
      Object.keys(QUICK_COMMANDS).map((name) => [name.split(' ')[0], name.replace(' ', '-')]),
    );
    expect(byWord).toEqual(expected);
    // ...and the build makes exactly those bundles.
    const built = /const QUICK_BUNDLES = (\[[^\]]*\])/.exec(read('scripts/build.mjs'))?.[1];
    const names = [...(built as string).matchAll(/'([\w ]+)'/g)].map((match) => match[1]);
    expect(names).toEqual(Object.keys(QUICK_COMMANDS));
  });
});
