// The one place that knows whether stdout/stderr/stdin are terminals and decides colour (per
// stream), spinners and prompts, and that reads stdin (gh's IOStreams). Commands get an IO and
// never look at process.* themselves.
import type { Readable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { isoTime } from '../core/text.js';
import type { GlobalOptions } from '../globals.js';
import { vendor } from '../vendor.js';
import { decideColor } from './color.js';
import { cleanOutput } from './sanitize.js';
import type { Out } from './std.js';
import { createStdinReader } from './stdin.js';

export interface Streams {
  /** A terminal's Node stream, or a pipe's or a file's descriptor (see std.ts). */
  stdout: Out;
  stderr: Out;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  /** The file descriptor behind `stdin`, read synchronously by readStdin (default 0). */
  stdinFd?: number;
  /**
   * Whether stdin is a terminal (or how to ask, asked once when needed), when known without
   * `stdin` (whose stream costs start-up to make): then `stdin` is read only to prompt.
   */
  stdinIsTTY?: boolean | (() => boolean);
}

export interface IO {
  readonly streams: Streams;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** stdin and stderr are terminals and prompting is allowed. */
  readonly interactive: boolean;
  /** Colour on stderr (same as stderrColor: errors, warnings and progress go there). */
  readonly color: boolean;
  /** Colour in what goes to stdout: decided from stdout, so `> report.txt` stays plain. */
  readonly stdoutColor: boolean;
  /** Colour in what goes to stderr: decided from stderr. */
  readonly stderrColor: boolean;
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
  /** An answer on stderr (`plan --check`'s drift lines): --quiet silences noise, never answers. */
  answer(text: string): void;
  /** A progress line on stderr: timestamped when stderr is not a terminal (logs, cron). */
  progress(text: string): void;
  /** Verbose trace on stderr. */
  trace(text: string): void;
  /** Paint text bound for stderr (info, warn, progress) when stderr has colour. */
  style(kind: StyleKind, text: string): string;
  /** Paint text bound for stdout (out) when stdout has colour. */
  styleOut(kind: StyleKind, text: string): string;
  /** What is left of stdin, all of it; refused past 8 MiB; Ctrl-C works while it waits. */
  readStdin(): string;
  /** The next line of stdin, trimmed (a secret); a usage error naming `what` when there is none. */
  readStdinLine(what: string): string;
}

export type StyleKind = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan';

export function timestamp(date = new Date()): string {
  return isoTime(date.getTime()).replace(/\.\d{3}Z$/, 'Z');
}

export function createIO(globals: GlobalOptions, streams: Streams): IO {
  const stdoutTTY = Boolean(streams.stdout.isTTY);
  const stderrTTY = Boolean(streams.stderr.isTTY);
  // Asked only when it matters (stderr a terminal): for a character device that is not one
  // (/dev/null, cron's stdin) the answer costs loading node:tty.
  let stdinKnown: boolean | undefined;
  const isStdinTTY = () => {
    const given = streams.stdinIsTTY;
    stdinKnown ??= Boolean(typeof given === 'function' ? given() : (given ?? streams.stdin.isTTY));
    return stdinKnown;
  };
  const json = Boolean(globals.json);
  const quiet = Boolean(globals.quiet);
  const verbose = Boolean(globals.verbose);
  const stdoutColor = decideColor(globals, streams.env, stdoutTTY);
  const stderrColor = decideColor(globals, streams.env, stderrTTY);
  const noInput = globals.input === false;
  const interactive = stderrTTY && !noInput && isStdinTTY();
  // A terminal that reports no width (some pseudo-terminals) cannot redraw a spinner line in place.
  const width = streams.stderr.columns ?? 80;
  const spinner = stderrTTY && stderrColor && !quiet && !json && streams.env.TERM !== 'dumb' && width > 0;
  const outPaint = painter(stdoutColor);
  const errPaint = painter(stderrColor);
  const stdin = createStdinReader(streams.stdinFd ?? 0);
  // The one place every line of output passes: whatever outside text it carries cannot drive
  // the terminal (see sanitize.ts); msp-license's own colours pass.
  const write = (stream: Out, text: string) => {
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
    color: stderrColor,
    stdoutColor,
    stderrColor,
    spinner,
    stdoutTTY,
    stderrTTY,
    get stdinTTY() {
      return isStdinTTY();
    },
    out: (text) => write(streams.stdout, text),
    info: (text) => {
      if (!quiet && !json) write(streams.stderr, text);
    },
    warn: (text) => {
      if (!quiet) write(streams.stderr, text);
    },
    answer: (text) => write(streams.stderr, text),
    progress: (text) => {
      if (quiet || json) return;
      write(streams.stderr, stderrTTY ? text : `${timestamp()} ${text}`);
    },
    trace: (text) => {
      if (verbose) write(streams.stderr, text);
    },
    style: errPaint,
    styleOut: outPaint,
    readStdin: () => stdin.all(),
    readStdinLine: (what) => stdin.line(what),
  };
}

/**
 * How one stream paints. chalk decides nothing here (it ignores NO_COLOR on a terminal): we pick
 * the level ourselves. Without colour chalk returns the text as is, so chalk is loaded only for a
 * stream that has colour, on its first use.
 */
function painter(color: boolean): (kind: StyleKind, text: string) => string {
  if (!color) return (_kind, text) => text;
  let chalk: ChalkInstance | undefined;
  return (kind, text) => {
    chalk ??= new (vendor<typeof import('chalk')>('chalk').Chalk)({ level: 1 });
    return chalk[kind](text);
  };
}
