// Table-driven wiring: argv in, which command runs and the options object it receives.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, setDispatcher } from '../../src/cli.js';

interface Call {
  command: string;
  options: Record<string, unknown>;
  args: unknown[];
}

async function parse(argv: string[]): Promise<Call> {
  let call: Call | undefined;
  setDispatcher(async (_load, command: Command, args) => {
    const path: string[] = [];
    for (let c: Command | null = command; c?.parent; c = c.parent) path.unshift(c.name());
    call = { command: path.join(' '), options: command.optsWithGlobals(), args };
  });
  const program = buildProgram();
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
    { services: ['foundation_ap'], exclude: ['c1,c2'], timeout: '30m', interval: '15s', chunkSize: '200' },
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
    { profile: 'prod', json: true, allCustomers: true, yes: true, wait: true, timeout: '1h' },
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
  [['history', '--since', '7d', '--limit', '5'], 'history', { since: '7d', limit: '5' }],
  [['completion', 'zsh'], 'completion', {}, ['zsh']],
  [
    ['--base-url', 'https://x.example', 'status', '--include', 'a'],
    'status',
    { baseUrl: 'https://x.example' },
  ],
  [['sandbox', '--customers', '10', '--write-profile'], 'sandbox', { customers: '10', writeProfile: true }],
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

  it('rejects a secret as a flag value: there is no --client-secret option', async () => {
    await expect(parse(['login', '--client-secret', 'hunter2'])).rejects.toMatchObject({
      code: 'commander.unknownOption',
    });
  });
});
