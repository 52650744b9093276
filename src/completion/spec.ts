// The command tree as plain data, for completion. Walking commander once per completion is cheap,
// and the same plain shape is precomputed by the build (spec.generated.ts, written by
// scripts/build.mjs before bundling) so that a fast path can complete without loading commander
// at all. Type-only import: this module loads nothing.
import type { Command } from 'commander';

export interface OptionSpec {
  /** Every spelling: `['-s', '--services']`. */
  names: string[];
  /** `required`: `--opt <v>`; `optional`: `--opt [v]`; `none`: a flag. */
  value: 'required' | 'optional' | 'none';
  description: string;
}

export interface ArgSpec {
  name: string;
  variadic: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: ArgSpec[];
  commands: CommandSpec[];
}

/** The visible commands and options of a commander tree (hidden ones, e.g. `__complete`, left out). */
export function specFromCommander(command: Command): CommandSpec {
  const help = command.createHelp();
  const options: OptionSpec[] = help.visibleOptions(command).map((option) => ({
    names: [option.short, option.long].filter((name): name is string => Boolean(name)),
    value: option.required ? 'required' : option.optional ? 'optional' : 'none',
    description: option.description,
  }));
  return {
    name: command.name(),
    description: command.description(),
    options,
    args: command.registeredArguments.map((arg) => ({ name: arg.name(), variadic: arg.variadic })),
    commands: help.visibleCommands(command).map(specFromCommander),
  };
}

/** Where the build writes the precomputed tree, from the repository root. */
export const GENERATED_SPEC_PATH = 'src/completion/spec.generated.ts';

/** The text of spec.generated.ts for a tree: what `npm run build` writes and the spec test compares. */
export function generatedSpecSource(spec: CommandSpec): string {
  return [
    '// biome-ignore-all format: generated',
    '// GENERATED from the commander tree in src/cli.ts by scripts/build.mjs: do not edit.',
    '// Regenerate: npm run build',
    "import type { CommandSpec } from './spec.js';",
    '',
    `export const COMPLETION_SPEC: CommandSpec = ${JSON.stringify(spec, null, 2)};`,
    '',
  ].join('\n');
}
