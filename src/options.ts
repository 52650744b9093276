// One typed definition per flag: from it come the commander option (its syntax, help, default,
// environment variable) and the parsed, typed value the command's `run` receives. Integers,
// durations and lists are parsed here and nowhere else (with core/duration.ts's parsers), after
// argv was read (by commander, or the quick lane: quick.ts) and before the command runs. No
// commander here (cli.ts adds the flags to it): the quick lane loads this without it.
import { parseDuration, parseInteger, parseSince, type Range } from './core/duration.js';

/** A flag: how commander reads it and what the command gets. */
export interface Flag<T> {
  /** Commander's syntax: '-s, --services <names>', '--dry-run', '--resume [run-id]'. */
  readonly flags: string;
  readonly description: string;
  /** The default as typed (shown in --help, parsed like a given value). */
  readonly fallback?: string | boolean;
  /** An environment variable that stands in for the flag. */
  readonly env?: string;
  /** How repeated values accumulate (lists); none: the last one wins. */
  readonly collect?: (value: string, previous: unknown) => unknown;
  /** The raw value (commander's) → the typed one; `name` is the flag as the user wrote it. */
  readonly parse: (raw: unknown, name: string) => T;
}

export type FlagSet = Record<string, Flag<unknown>>;

/** The options object a command with these flags receives. */
export type OptionsOf<S extends FlagSet> = { [K in keyof S]: S[K] extends Flag<infer T> ? T : never };

/** The long flag name (`--chunk-size`), for messages. */
export function longName(flag: Pick<Flag<unknown>, 'flags'>): string {
  return /--[\w-]+/.exec(flag.flags)?.[0] ?? flag.flags;
}

const asString = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);

/** An on/off switch (`--dry-run`); `--no-x` switches are true unless given. */
export function flag(flags: string, description: string): Flag<boolean> {
  const negated = /--no-/.test(flags);
  return { flags, description, parse: (raw) => (raw === undefined ? negated : Boolean(raw)) };
}

/** A value kept as typed (a name, a file, a URL); with a fallback it is always there. */
export function text(
  flags: string,
  description: string,
  options: { fallback: string; env?: string },
): Flag<string>;
export function text(
  flags: string,
  description: string,
  options?: { env?: string },
): Flag<string | undefined>;
export function text(
  flags: string,
  description: string,
  options: { fallback?: string; env?: string } = {},
): Flag<string | undefined> {
  return { flags, description, ...options, parse: asString };
}

/** A flag with an optional value (`--resume [run-id]`): false, true, or the value. */
export function optionalText(flags: string, description: string): Flag<boolean | string> {
  return {
    flags,
    description,
    parse: (raw) => (typeof raw === 'string' ? raw : raw === true),
  };
}

/** A comma list, repeatable: `-s a,b -s c` → [a, b, c]. */
export function list(flags: string, description: string): Flag<string[] | undefined> {
  return {
    flags,
    description,
    collect: (value, previous) => [
      ...((previous as string[] | undefined) ?? []),
      ...value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ],
    parse: (raw) => (Array.isArray(raw) ? (raw as string[]) : undefined),
  };
}

/**
 * Customer references, repeatable, kept as typed: a name may hold a comma, so they are split
 * once resolved against the customers list.
 */
export function references(flags: string, description: string): Flag<string[] | undefined> {
  return {
    flags,
    description,
    collect: (value, previous) => {
      const kept = (previous as string[] | undefined) ?? [];
      return value.trim() ? [...kept, value.trim()] : kept;
    },
    parse: (raw) => (Array.isArray(raw) ? (raw as string[]) : undefined),
  };
}

/** A whole number in a range; with a fallback it is always there. */
export function integer(
  flags: string,
  description: string,
  range: Range & { fallback: string },
): Flag<number>;
export function integer(flags: string, description: string, range?: Range): Flag<number | undefined>;
export function integer(
  flags: string,
  description: string,
  range: Range & { fallback?: string } = {},
): Flag<number | undefined> {
  const { fallback, ...bounds } = range;
  return {
    flags,
    description,
    ...(fallback === undefined ? {} : { fallback }),
    parse: (raw, name) => {
      const value = asString(raw) ?? fallback;
      return value === undefined ? undefined : parseInteger(value, name, bounds);
    },
  };
}

/** A duration in a range (30s, 15m, 2h, 1h30m; a bare number is seconds), in milliseconds. */
export function duration(
  flags: string,
  description: string,
  range: Range & { fallback: string },
): Flag<number> {
  const { fallback, ...bounds } = range;
  return {
    flags,
    description,
    fallback,
    parse: (raw, name) => parseDuration(asString(raw) ?? fallback, name, bounds),
  };
}

/** A moment: a date (2026-11-01), an ISO time, or a duration ago (7d, 12h); epoch milliseconds. */
export function instant(flags: string, description: string): Flag<number | undefined> {
  return { flags, description, parse: (raw) => (asString(raw) ? parseSince(raw as string) : undefined) };
}

/**
 * Commander's raw values → the typed options. A value that does not parse is a usage error
 * (exit 2) naming the flag, or the environment variable when that is where it came from.
 */
export function parseFlags<S extends FlagSet>(
  set: S,
  raw: Record<string, unknown>,
  sourceOf: (key: string) => string | undefined = () => undefined,
): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(set)) {
    const name = sourceOf(key) === 'env' && def.env ? def.env : longName(def);
    out[key] = def.parse(raw[key], name);
  }
  return out as OptionsOf<S>;
}

/** What a command gets when no flag is given, overridden by `given`: for in-process callers and tests. */
export function optionsWith<S extends FlagSet>(set: S, given: Partial<OptionsOf<S>> = {}): OptionsOf<S> {
  return { ...parseFlags(set, {}), ...given };
}
