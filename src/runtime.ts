// Runs one command: IO from the global options, a context, the command, its output, its errors.
// Loaded lazily by every action, so nothing here weighs on --help, --version or completion.
import { Context } from './context.js';
import { CliError, ExitCode, InterruptedError } from './errors.js';
import type { GlobalOptions } from './globals.js';
import { createIO } from './ui/io.js';
import { writeError } from './ui/report-error.js';

export interface CommandModule {
  // biome-ignore lint/suspicious/noExplicitAny: each command declares its own options type
  run: (ctx: Context, options: any, ...args: any[]) => Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: result type is the command's own
  render?: (result: any, ctx: Context) => void;
}

/** 128 + SIGTERM (15), what a shell reports for a process ended by SIGTERM. */
const SIGTERM_EXIT = 143;

export async function runCommand(
  load: () => Promise<unknown>,
  options: GlobalOptions & Record<string, unknown>,
  args: unknown[],
): Promise<void> {
  // A closed pipe (`| head`) ends the output, not the program with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(Number(process.exitCode ?? 0));
      throw error;
    });
  }
  const io = createIO(options, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  const ctx = new Context(io, options, process.env);
  const onSigint = () => ctx.interrupt();
  // SIGTERM stops the run the same way; by convention it then exits 128 + 15.
  let terminated = false;
  const onSigterm = () => {
    terminated = true;
    ctx.interrupt();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const command = (await load()) as CommandModule;
    const result = await command.run(ctx, options, ...args);
    if (result === undefined) return;
    if (io.json) io.out(JSON.stringify(result, null, 2));
    else if (!io.quiet && command.render) command.render(result, ctx);
  } catch (error) {
    const interrupted =
      ctx.interrupted && !(error instanceof CliError && error.exitCode !== ExitCode.interrupted);
    const final = interrupted && !(error instanceof InterruptedError) ? new InterruptedError() : error;
    process.exitCode = writeError(final, {
      json: io.json,
      color: io.color,
      verbose: io.verbose,
      secrets: ctx.secrets(),
    });
  } finally {
    ctx.cleanup();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    if (terminated && Number(process.exitCode) === ExitCode.interrupted) process.exitCode = SIGTERM_EXIT;
  }
}
