import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli.js';
import { specFromCommander } from '../../../src/completion/spec.js';

// The completion fast path (src/completion/fast.ts) reads a copy of the command tree made ahead
// of time. This test keeps it equal to the real tree: when a command or option changes, it fails;
// `npx vitest run test/unit/completion/spec.test.ts -u` rewrites the copy.
describe('precomputed completion spec', () => {
  it('matches the commander tree', async () => {
    const spec = specFromCommander(buildProgram());
    const source = [
      '// biome-ignore-all format: generated',
      '// GENERATED from the commander tree in src/cli.ts by test/unit/completion/spec.test.ts: do not edit.',
      '// Regenerate: npx vitest run test/unit/completion/spec.test.ts -u',
      "import type { CommandSpec } from './spec.js';",
      '',
      `export const COMPLETION_SPEC: CommandSpec = ${JSON.stringify(spec, null, 2)};`,
      '',
    ].join('\n');
    await expect(source).toMatchFileSnapshot('../../../src/completion/spec.generated.ts');
  });

  it('leaves out hidden commands and keeps every visible one', () => {
    const spec = specFromCommander(buildProgram());
    const names = spec.commands.map((command) => command.name);
    expect(names).not.toContain('__complete');
    expect(names).toEqual(
      expect.arrayContaining(['assign', 'unassign', 'auth', 'profiles', 'completion', 'help']),
    );
    const auth = spec.commands.find((command) => command.name === 'auth');
    expect(auth?.commands.map((command) => command.name)).toEqual(
      expect.arrayContaining(['status', 'refresh']),
    );
    const assign = spec.commands.find((command) => command.name === 'assign');
    expect(assign?.options.find((option) => option.names.includes('--services'))).toMatchObject({
      names: ['-s', '--services'],
      value: 'required',
    });
    expect(spec.options.find((option) => option.names.includes('--profile'))?.names).toEqual([
      '-p',
      '--profile',
    ]);
  });
});
