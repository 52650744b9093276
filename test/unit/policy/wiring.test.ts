// plan / apply wiring: argv in, the command and the options it receives (as cli-wiring does for
// the others), and the run's exit code for --check.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, invocation, setDispatcher } from '../../../src/cli.js';
import { exitCode } from '../../../src/commands/plan.js';

async function parse(argv: string[]) {
  let call: { command: string; options: Record<string, unknown>; args: unknown[] } | undefined;
  // The real dispatcher's parsing: the typed options the command's run receives, and the globals.
  setDispatcher(async (_load, command: Command, args, flags) => {
    const { globals, options } = invocation(command, flags);
    call = { command: command.name(), options: { ...globals, ...(options() as object) }, args };
  });
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(['node', 'msp-license', ...argv]);
  if (!call) throw new Error('no command ran');
  return call;
}

describe('plan and apply wiring', () => {
  it('plan -f FILE --check --out --json', async () => {
    const call = await parse(['--json', 'plan', '-f', 'p.yaml', '--check', '--out', 'plan.json']);
    expect(call.command).toBe('plan');
    expect(call.options).toMatchObject({ file: 'p.yaml', check: true, out: 'plan.json', json: true });
  });
  it('apply PLAN.json --yes --wait: the plan file as the argument', async () => {
    const call = await parse(['apply', 'plan.json', '--yes', '--wait', '--interval', '5s']);
    expect(call).toMatchObject({ command: 'apply', args: ['plan.json'] });
    expect(call.options).toMatchObject({
      yes: true,
      wait: true,
      interval: 5_000,
      timeout: 1_800_000,
      chunkSize: 200,
    });
  });
  it('apply --resume without an id, and with one', async () => {
    expect((await parse(['apply', '--resume'])).options.resume).toBe(true);
    expect((await parse(['apply', '--resume', 'abc-1'])).options.resume).toBe('abc-1');
  });
  it('apply --chunk-size out of range is refused by the flag definition', async () => {
    await expect(parse(['apply', '-f', 'p.yaml', '--chunk-size', '0'])).rejects.toThrow(
      /--chunk-size: '0' is out of range/,
    );
  });
  it('--check drift is exit 10; in sync, or a plain plan, exit 0', () => {
    expect(exitCode({ check: true, inSync: false } as never)).toBe(10);
    expect(exitCode({ check: true, inSync: true } as never)).toBeUndefined();
    expect(exitCode({ check: false, inSync: false } as never)).toBeUndefined();
  });
});
