// The command tree as plain data, for completion. Walking commander once per completion is cheap,
// and the same plain shape can be precomputed (spec.generated.ts) so that a fast path can complete
// without loading commander at all. Type-only import: this module loads nothing.
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
