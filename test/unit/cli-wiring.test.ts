// Table-driven wiring: argv in, which command runs and the typed options it receives (its own
// flags parsed by flags.ts's definitions, and the global ones).
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, setDispatcher } from '../../src/cli.js';
import { globalFlags } from '../../src/flags.js';
import { parseFlags } from '../../src/options.js';

interface Call {
  command: string;
  options: Record<string, unknown>;
  args: unknown[];
}

let root: Command | undefined;

async function parse(argv: string[]): Promise<Call> {
  let call: Call | undefined;
  setDispatcher(async (_load, command: Command, args, flags) => {
    const path: string[] = [];
    for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
    const globals = parseFlags(globalFlags, root?.opts() ?? {});
    call = { command: path.join(' '), options: { ...globals, ...parseFlags(flags, command.opts()) }, args };
  });
  const program = buildProgram();
  root = program;
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'msp-license', ...argv]);
  if (!call) throw new Error('no command ran');
  return call;
}

const cases: Array<[string[], string, Record<string, unknown>, unknown[]?]> = [
  [
    ['assign', '--services', 'foundation_ap', '--exclude', 'c1,c2'],
    'assign',
    {
      services: ['foundation_ap'],
      exclude: ['c1,c2'],
      timeout: 1_800_000,
      interval: 15_000,
      stallAfter: 600_000,
      chunkSize: 200,
      dryRun: false,
      resume: false,
    },
  ],
  [
    [
      'assign',
      '-s',
      'foundation_ap,advanced_ap',
      '-s',
      'foundation_70xx',
      '--include',
      'a',
      '--include',
      'b',
    ],
    'assign',
    { services: ['foundation_ap', 'advanced_ap', 'foundation_70xx'], include: ['a', 'b'] },
  ],
  [
    [
      '--profile',
      'prod',
      '--json',
      'unassign',
      '-s',
      'x',
      '--all-customers',
      '--yes',
      '--wait',
      '--timeout',
      '1h',
    ],
    'unassign',
    { profile: 'prod', json: true, allCustomers: true, yes: true, wait: true, timeout: 3_600_000 },
  ],
  [
    ['--no-color', '--no-input', 'services', '--refresh'],
    'services',
    { color: false, input: false, refresh: true },
  ],
  [['customers', '--search', 'acme'], 'customers', { search: 'acme' }],
  [['-q', 'auth', 'refresh'], 'auth refresh', { quiet: true }],
  [['auth', 'status', '--offline'], 'auth status', { offline: true }],
  [['profiles', 'use', 'prod'], 'profiles use', {}, ['use', 'prod']],
  [['history', '--limit', '5'], 'history', { since: undefined, limit: 5 }],
  [['history'], 'history', { limit: 20 }],
  [['completion', 'zsh'], 'completion', {}, ['zsh']],
  [
    ['--base-url', 'https://x.example', 'status', '--include', 'a'],
    'status',
    { baseUrl: 'https://x.example' },
  ],
  [
    ['sandbox', '--customers', '10', '--write-profile'],
    'sandbox',
    { customers: 10, devices: 500, port: 0, rateLimit: true, writeProfile: true },
  ],
  [
    ['login', '--cluster', 'eu-1', '--client-id', 'id', '--client-secret-stdin'],
    'login',
    { cluster: 'eu-1', clientId: 'id', clientSecretStdin: true },
  ],
];

describe('argv → command and options', () => {
  it.each(cases)('%j', async (argv, command, options, args) => {
    const call = await parse(argv);
    expect(call.command).toBe(command);
    expect(call.options).toMatchObject(options);
    if (args) expect(call.args).toEqual(args);
  });

  it.each([
    [['assign', '-s', 'x', '--all-customers', '--timeout', '2h30m'], { timeout: 9_000_000 }],
    [['assign', '--chunk-size', '0'], /--chunk-size: '0' is out of range: use a value from 1 to 10,000/],
    [['assign', '--interval', 'soon'], /--interval: 'soon' is not a duration/],
    [['history', '--limit', 'x'], /--limit: 'x' is not a whole number/],
    [['sandbox', '--port', '70000'], /--port: '70000' is out of range/],
    [['sandbox', '--no-rate-limit'], { rateLimit: false }],
    [['assign', '--resume'], { resume: true }],
    [['assign', '--resume', 'r-1'], { resume: 'r-1' }],
  ])('values parsed once, by the flag definitions: %j', async (argv, expected) => {
    if (expected instanceof RegExp) await expect(parse(argv)).rejects.toThrow(expected);
    else expect((await parse(argv)).options).toMatchObject(expected);
  });

  it('history --since: a duration ago, as a moment', async () => {
    const before = Date.now();
    const since = (await parse(['history', '--since', '7d'])).options.since as number;
    expect(before - 7 * 86_400_000 - since).toBeLessThanOrEqual(0);
    expect(since).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000);
  });

  it('every flag definition is keyed as commander stores it', () => {
    // addFlags throws on a mismatch; building the whole tree adds every definition.
    expect(() => buildProgram()).not.toThrow();
  });

  it('rejects a secret as a flag value: there is no --client-secret option', async () => {
    await expect(parse(['login', '--client-secret', 'hunter2'])).rejects.toMatchObject({
      code: 'commander.unknownOption',
    });
  });
});
