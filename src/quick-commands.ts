// The commands of the quick lane (quick.ts): their flags, the module that runs them and how many
// words they take. src/cli.ts wires the same entries into commander, so both lanes run a command
// with the same flags and the same module.
import {
  assignFlags,
  authStatusFlags,
  customersFlags,
  historyFlags,
  servicesFlags,
  unassignFlags,
} from './flags.js';
import type { FlagSet } from './options.js';

export interface QuickCommand {
  flags: FlagSet;
  load: () => Promise<{ run: (ctx: never, options: never, ...args: never[]) => Promise<unknown> }>;
  /** The words after the command (`completion bash`): exactly this many. */
  operands: number;
}

export const QUICK_COMMANDS = {
  services: { flags: servicesFlags, load: () => import('./commands/services.js'), operands: 0 },
  customers: { flags: customersFlags, load: () => import('./commands/customers.js'), operands: 0 },
  profiles: { flags: {}, load: () => import('./commands/profiles.js'), operands: 0 },
  history: { flags: historyFlags, load: () => import('./commands/history.js'), operands: 0 },
  'auth status': { flags: authStatusFlags, load: () => import('./commands/auth-status.js'), operands: 0 },
  completion: { flags: {}, load: () => import('./commands/completion.js'), operands: 1 },
  assign: { flags: assignFlags, load: () => import('./commands/assign.js'), operands: 0 },
  unassign: { flags: unassignFlags, load: () => import('./commands/unassign.js'), operands: 0 },
} satisfies Record<string, QuickCommand>;
