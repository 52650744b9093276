// Runs one command: IO from the global options, a context, the command, its output, its errors.
// Loaded lazily by every action, so nothing here weighs on --help, --version or completion.
import { Context } from './context.js';
import { CliError, InterruptedError, SIGNAL_EXIT } from './errors.js';
import type { GlobalOptions } from './globals.js';
import { createIO } from './ui/io.js';
import { writeError } from './ui/report-error.js';
import { isTerminal, std } from './ui/std.js';

export interface CommandModule {
  // biome-ignore lint/suspicious/noExplicitAny: each command declares its own options type
  run: (ctx: Context, options: any, ...args: any[]) => Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: result type is the command's own
  render?: (result: any, ctx: Context) => void;
  /**
   * Whether the rendered result is the answer the user asked for (a list, a report, a dry run's
   * plan): --quiet silences status lines and confirmations, never answers.
   */
  // biome-ignore lint/suspicious/noExplicitAny: result type is the command's own
  answers?: (result: any) => boolean;
  /** A result that is a finding rather than success (`plan --check`: 10 = drift): its exit code. */
  // biome-ignore lint/suspicious/noExplicitAny: result type is the command's own
  exitCode?: (result: any) => number | undefined;
}

/**
 * `options` parses the command's own flags (typed, see flags.ts): called inside, so a bad value is
 * reported like every other error (exit 2, under --json as JSON). The globals reach the command
 * through `ctx.globals` and `ctx.io`.
 */
export async function runCommand(
  load: () => Promise<unknown>,
  globals: GlobalOptions,
  options: () => unknown,
  args: unknown[],
): Promise<void> {
  let ctx: Context | undefined;
  const { stdout, stderr } = std();
  // A closed pipe (`| head`) ends the output, not the program with a stack trace — unless a
  // license job has been sent: then the run goes on (silently) to its true outcome and exit code.
  // EIO: the terminal went away (SSH dropped; SIGHUP follows).
  for (const stream of [stdout, stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'EIO' && error.code !== 'ERR_STREAM_DESTROYED')
        throw error;
      if (ctx?.mustFinish) return;
      process.exit(Number(process.exitCode ?? 0));
    });
  }
  const io = createIO(globals, {
    stdout,
    stderr,
    // process.stdin is a stream made on first use (fs and readline streams for a file or a pipe):
    // only a prompt needs it; whether fd 0 is a terminal is the same answer without it.
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY: () => isTerminal(0),
    env: process.env,
  });
  ctx = new Context(io, globals, process.env);
  const context = ctx;
  const onSignal = (signal: NodeJS.Signals) => context.interrupt(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const parsed = options();
    const command = (await load()) as CommandModule;
    const result = await command.run(ctx, parsed, ...args);
    if (result === undefined) return;
    const code = command.exitCode?.(result);
    if (code) process.exitCode = code;
    if (io.json) io.out(JSON.stringify(result, null, 2));
    else if (command.render && (!io.quiet || command.answers?.(result))) command.render(result, ctx);
  } catch (error) {
    // A signal ended the run, unless the error that ended it says otherwise (an auth failure…).
    const interrupted =
      ctx.interrupted && (!(error instanceof CliError) || error instanceof InterruptedError);
    const final = interrupted ? bySignal(error, ctx.signal) : error;
    process.exitCode = writeError(final, {
      json: io.json,
      color: io.color,
      verbose: io.verbose,
      secrets: ctx.secrets(),
      stderr,
    });
  } finally {
    ctx.cleanup();
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/** The interruption as the signal that caused it: its exit code (143 for SIGTERM), its name. */
function bySignal(error: unknown, signal: NodeJS.Signals): InterruptedError {
  const message = error instanceof InterruptedError ? error.message : 'Interrupted.';
  const hint = error instanceof InterruptedError ? error.hint : undefined;
  if (signal === 'SIGINT') return error instanceof InterruptedError ? error : new InterruptedError();
  return new InterruptedError(
    `${message.replace(/\.$/, '')} (${signal}).`,
    hint ? { hint } : {},
    SIGNAL_EXIT[signal],
  );
}
