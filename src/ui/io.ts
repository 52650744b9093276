// The one place that knows whether stdout/stderr/stdin are terminals and decides colour,
// spinners and prompts (gh's IOStreams). Commands get an IO and never look at process.* themselves.
import type { Readable, Writable } from 'node:stream';
import { Chalk } from 'chalk';
import type { GlobalOptions } from '../globals.js';
import { cleanOutput } from './sanitize.js';

export interface Streams {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
}

export interface IO {
  readonly streams: Streams;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** stdin and stderr are terminals and prompting is allowed. */
  readonly interactive: boolean;
  /** Colour on stderr (and on stdout when it is a terminal too). */
  readonly color: boolean;
  /** A spinner may animate on stderr. */
  readonly spinner: boolean;
  readonly stdoutTTY: boolean;
  readonly stderrTTY: boolean;
  readonly stdinTTY: boolean;
  /** Data for stdout. */
  out(text: string): void;
  /** A status line on stderr (suppressed by --quiet and --json). */
  info(text: string): void;
  /** A warning on stderr (suppressed by --quiet only). */
  warn(text: string): void;
  /** A progress line on stderr: timestamped when stderr is not a terminal (logs, cron). */
  progress(text: string): void;
  /** Verbose trace on stderr. */
  trace(text: string): void;
  /** Paint with a style when colour is on. */
  style(kind: StyleKind, text: string): string;
}

export type StyleKind = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan';

/** NO_COLOR (any non-empty value) and --no-color win; FORCE_COLOR=1+ turns colour on even in a pipe. */
export function decideColor(globals: GlobalOptions, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (globals.color === false || globals.json) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createIO(globals: GlobalOptions, streams: Streams): IO {
  const stdoutTTY = Boolean(streams.stdout.isTTY);
  const stderrTTY = Boolean(streams.stderr.isTTY);
  const stdinTTY = Boolean(streams.stdin.isTTY);
  const json = Boolean(globals.json);
  const quiet = Boolean(globals.quiet);
  const verbose = Boolean(globals.verbose);
  const color = decideColor(globals, streams.env, stderrTTY);
  const noInput = globals.input === false;
  const interactive = stdinTTY && stderrTTY && !noInput;
  // A terminal that reports no width (some pseudo-terminals) cannot redraw a spinner line in place.
  const width = streams.stderr.columns ?? 80;
  const spinner = stderrTTY && color && !quiet && !json && streams.env.TERM !== 'dumb' && width > 0;
  // chalk decides nothing here (it ignores NO_COLOR on a terminal): we pick the level ourselves.
  const chalk = new Chalk({ level: color ? 1 : 0 });
  // The one place every line of output passes: whatever outside text it carries cannot drive
  // the terminal (see sanitize.ts); msp-license's own colours pass.
  const write = (stream: Writable, text: string) => {
    if (stream.destroyed) return; // a closed pipe (EPIPE): a running job goes on silently
    const clean = cleanOutput(text);
    stream.write(clean.endsWith('\n') ? clean : `${clean}\n`);
  };
  return {
    streams,
    json,
    quiet,
    verbose,
    interactive,
    color,
    spinner,
    stdoutTTY,
    stderrTTY,
    stdinTTY,
    out: (text) => write(streams.stdout, text),
    info: (text) => {
      if (!quiet && !json) write(streams.stderr, text);
    },
    warn: (text) => {
      if (!quiet) write(streams.stderr, text);
    },
    progress: (text) => {
      if (quiet || json) return;
      write(streams.stderr, stderrTTY ? text : `${timestamp()} ${text}`);
    },
    trace: (text) => {
      if (verbose) write(streams.stderr, text);
    },
    style: (kind, text) => chalk[kind](text),
  };
}
