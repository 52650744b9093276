// The quick lane: the commands an operator types most at a prompt (the lists answered from the
// cache, profiles, history, auth status, completion scripts), run without commander. Building
// commander's tree of 20 commands and parsing with it costs more than some of these commands
// themselves. bin/msp-license.js requires dist/quick-NAME.cjs (this file's bundle for the command
// NAME) for argv holding NAME's first word; readArgv() accepts only argv it reads exactly as
// commander would, and anything else (an unknown option, `--`, `-abc`, `--help`, a missing value,
// an extra word, another command) goes to the full CLI, which reads it and reports it in the usual
// words. What a command receives is the same either way: the same flags (flags.ts), parsed by the
// same parseFlags, handed to the same runtime.

// @ts-expect-error: commander's own suggestions (a file of its package, untyped), so the words match
import { suggestSimilar } from '../node_modules/commander/lib/suggestSimilar.js';
import { commanderUsageError } from './errors.js';
import { globalFlags, globalOptions } from './flags.js';
import type { Flag, FlagSet } from './options.js';
import { longName, parseFlags } from './options.js';
import { QUICK_COMMANDS, type QuickCommand } from './quick-commands.js';
import { runCommand } from './runtime.js';
import { reportError } from './ui/report-error.js';
import { exitQuietlyOnClosedPipe, flushed } from './ui/std.js';

/**
 * The one command this bundle runs (the build makes one bundle per command, dist/quick-NAME.cjs,
 * without the other commands' modules); undefined from source, where the lane runs them all.
 */
declare const __QUICK_ONLY__: string | undefined;

/** How a flag appears on the command line. */
interface Spelling {
  key: string;
  flag: Flag<unknown>;
  /** Takes a value: `<x>` always (the next word or `--name=value`), `[x]` when one follows. */
  value: false | 'required' | 'optional';
  /** `--no-x`: false when given. */
  negated: boolean;
}

/** Every spelling of every flag in the set (`-p`, `--profile`), or undefined if one is not plain. */
function spellings(set: FlagSet): Map<string, Spelling> | undefined {
  const map = new Map<string, Spelling>();
  for (const [key, flag] of Object.entries(set)) {
    const syntax = /^(?:(-\w), )?(--[\w-]+)(?: (<|\[)[\w-]+[>\]])?$/.exec(flag.flags);
    if (!syntax) return undefined;
    const value = syntax[3] === '<' ? 'required' : syntax[3] === '[' ? 'optional' : false;
    const spelling: Spelling = { key, flag, value, negated: syntax[2]?.startsWith('--no-') ?? false };
    for (const name of [syntax[1], syntax[2]]) if (name) map.set(name, spelling);
  }
  return map;
}

/** What one set of flags received: commander's raw values and where each came from. */
class Received {
  readonly raw: Record<string, unknown> = {};
  readonly source = new Map<string, 'cli' | 'env' | 'default'>();

  constructor(readonly set: FlagSet) {}

  give({ key, flag, value, negated }: Spelling, word: string | undefined): void {
    // Commander's values: a switch true (false for --no-x), an optional value true when none.
    if (!value || word === undefined) this.raw[key] = !negated;
    else this.raw[key] = flag.collect ? flag.collect(word, this.raw[key]) : word;
    this.source.set(key, 'cli');
  }

  /** Commander's last step: a variable stands in for a flag not given, then the default. */
  settle(env: NodeJS.ProcessEnv): this {
    for (const [key, flag] of Object.entries(this.set)) {
      if (this.source.has(key)) continue;
      if (flag.env && env[flag.env] !== undefined) {
        this.raw[key] = env[flag.env];
        this.source.set(key, 'env');
      } else if (flag.fallback !== undefined) {
        this.raw[key] = flag.fallback;
        this.source.set(key, 'default');
      }
    }
    return this;
  }

  sourceOf = (key: string): string | undefined => this.source.get(key);
}

export interface QuickArgv {
  /** The command's words: `auth status`. */
  name: string;
  command: QuickCommand;
  globals: Received;
  own: Received;
  operands: string[];
}

/** An option the command does not have, and commander's words for it. */
export interface UnknownOption {
  name: string;
  message: string;
}

/** The options commander knows at the top besides the global flags: it acts on them itself. */
const ROOT_OWN = ['-V', '--version', '-h', '--help'];

/**
 * argv read as commander reads it; an unknown `--option` after the command's words (as commander
 * words it: the options it is compared with are those `--help` lists, the command's then each
 * parent's); undefined when argv holds anything but these plain forms.
 */
export function readArgv(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): QuickArgv | UnknownOption | undefined {
  const global = spellings(globalFlags);
  if (!global) return undefined;
  const globals = new Received(globalFlags);
  let command: QuickCommand | undefined;
  let name = '';
  let own: Received | undefined;
  let ownSpellings: Map<string, Spelling> | undefined;
  const operands: string[] = [];
  /** The first option after the command's words that it does not have. */
  let unknown: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    if (word.startsWith('-')) {
      if (word === '-' || word === '--') return undefined;
      const equals = word.startsWith('--') ? word.indexOf('=') : -1;
      const flag = equals > 0 ? word.slice(0, equals) : word;
      const inGlobals = global.get(flag);
      const inOwn = ownSpellings?.get(flag);
      if (inGlobals === undefined && inOwn === undefined && command && !operands.length) {
        // Commander reports the first unknown option once it has read the rest of argv: the
        // options after it are still read (one missing its value is reported instead; -h or -V,
        // alone or in a group like -qh, wins), the other words are set aside with it. Help asked
        // for anywhere, or a short option it might take as a group: commander decides.
        if (!word.startsWith('--') || args.some((arg) => ROOT_OWN.includes(arg))) return undefined;
        unknown ??= word;
        continue;
      }
      // Unknown (or -h, -V, -abc), or a name both levels know: commander decides.
      if ((inGlobals === undefined) === (inOwn === undefined)) return undefined;
      const spelling = (inGlobals ?? inOwn) as Spelling;
      let value: string | undefined;
      if (equals > 0) {
        if (!spelling.value) return undefined;
        value = word.slice(equals + 1);
      } else if (spelling.value === 'required') {
        value = args[++i];
        if (value === undefined || value.startsWith('-')) return undefined;
      } else if (spelling.value === 'optional') {
        // Commander takes the next word unless it looks like an option.
        const next = args[i + 1];
        if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) value = args[++i];
      }
      (inGlobals ? globals : (own as Received)).give(spelling, value);
    } else if (!command) {
      const two = `${word} ${args[i + 1]}`;
      const table: Record<string, QuickCommand> = QUICK_COMMANDS;
      name = Object.hasOwn(table, two) ? two : word;
      command = Object.hasOwn(table, name) ? table[name] : undefined;
      if (!command || (typeof __QUICK_ONLY__ === 'string' && name !== __QUICK_ONLY__)) return undefined;
      if (name === two) i++;
      own = new Received(command.flags);
      ownSpellings = spellings(command.flags);
      if (!ownSpellings) return undefined;
    } else if (unknown === undefined) operands.push(word);
  }
  if (command && unknown !== undefined) {
    return { name, message: `error: unknown option '${unknown}'${suggestion(unknown, name, command)}` };
  }
  if (!command || !own || operands.length !== command.operands) return undefined;
  return { name, command, globals: globals.settle(env), own: own.settle(env), operands };
}

/** Commander's `(Did you mean --x?)`: the option names `--help` lists, the command's then each parent's. */
function suggestion(word: string, name: string, command: QuickCommand): string {
  const longs = (set: FlagSet) => Object.values(set).map((flag) => longName(flag));
  const parents = name
    .split(' ')
    .slice(1)
    .map(() => '--help');
  return suggestSimilar(word, [
    ...longs(command.flags),
    '--help',
    ...parents,
    '--version',
    ...longs(globalFlags),
    '--help',
  ]);
}

/** Runs argv in the quick lane; undefined (nothing done) when it is not one for it. */
export function runQuick(args: string[]): Promise<void> | undefined {
  const read = readArgv(args);
  if (!read) return undefined;
  if ('message' in read) {
    const error = commanderUsageError(read.message, `msp-license ${read.name}`);
    return Promise.resolve().then(() => {
      process.exitCode = reportError(error, args);
    });
  }
  const { command, globals, own, operands } = read;
  return runCommand(
    command.load,
    globalOptions(globals.raw, globals.sourceOf),
    () => parseFlags(own.set, own.raw, own.sourceOf),
    operands,
  );
}

/**
 * Runs argv in the quick lane and exits when done, as cli.ts's start() does for the full CLI: a
 * reader gone quiets the output, an error nothing caught is reported, not thrown. False (nothing
 * done) when argv is not one for it.
 */
export function quick(args: string[]): boolean {
  const run = runQuick(args);
  if (!run) return false;
  exitQuietlyOnClosedPipe();
  run
    .catch((error: unknown) => {
      process.exitCode = reportError(error, args);
    })
    .then(() => {
      const code = Number(process.exitCode ?? 0);
      // Idle keep-alive sockets (a cache refreshed) would hold the process open for a moment.
      flushed(() => process.exit(code));
    });
  return true;
}
