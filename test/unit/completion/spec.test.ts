import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli.js';
import { COMPLETION_SPEC } from '../../../src/completion/spec.generated.js';
import { GENERATED_SPEC_PATH, generatedSpecSource, specFromCommander } from '../../../src/completion/spec.js';

// The completion fast path (src/completion/fast.ts) reads a copy of the command tree that
// `npm run build` writes from src/cli.ts. Run without a build (after a change to cli.ts), this
// test tells the copy is stale; CI checks the committed copy with `node scripts/build.mjs --check`.
describe('precomputed completion spec', () => {
  it('is what the build writes from the commander tree', () => {
    const committed = readFileSync(new URL(`../../../${GENERATED_SPEC_PATH}`, import.meta.url), 'utf8');
    const fresh = generatedSpecSource(specFromCommander(buildProgram()));
    expect(committed, `${GENERATED_SPEC_PATH} is stale: run \`npm run build\` and commit it`).toBe(fresh);
    expect(COMPLETION_SPEC).toEqual(specFromCommander(buildProgram()));
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
