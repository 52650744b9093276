// Turns any error that ends the program into one clear message and its exit code (README "Exit codes").
import { redact } from '../central/redact.js';
import { CliError, ExitCode } from '../errors.js';
import { decideColor } from './color.js';
import { cleanOutput, cleanText } from './sanitize.js';
import { isTerminal, std } from './std.js';

export interface ErrorReport {
  code: string;
  message: string;
  exitCode: number;
  retryable: boolean;
  httpStatus?: number;
  hint?: string;
}

export function describeError(error: unknown, secrets: Iterable<string | undefined> = []): ErrorReport {
  if (error instanceof CliError) {
    return {
      code: error.code,
      message: redact(error.message, secrets),
      exitCode: error.exitCode,
      retryable: error.retryable,
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
      ...(error.hint === undefined ? {} : { hint: redact(error.hint, secrets) }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    message: redact(`Unexpected error: ${message}`, secrets),
    exitCode: ExitCode.failure,
    retryable: false,
  };
}

export interface ReportOptions {
  json: boolean;
  color: boolean;
  verbose?: boolean;
  secrets?: Iterable<string | undefined>;
  stderr?: NodeJS.WritableStream;
}

export function writeError(error: unknown, options: ReportOptions): number {
  const stderr = options.stderr ?? std().stderr;
  const report = describeError(error, options.secrets);
  if (options.json) {
    const { hint, ...rest } = report;
    stderr.write(`${JSON.stringify({ error: { ...rest, ...(hint ? { hint } : {}) } })}\n`);
  } else {
    const label = options.color ? '\u001b[31mError:\u001b[39m' : 'Error:';
    // An error message may quote a server (or the history): nothing in it may drive the terminal.
    stderr.write(`${label} ${cleanText(report.message)}\n`);
    if (report.hint) stderr.write(`  ${cleanOutput(report.hint.split('\n').join('\n  '))}\n`);
    if (options.verbose && !(error instanceof CliError) && error instanceof Error && error.stack) {
      stderr.write(`${redact(error.stack, options.secrets ?? [])}\n`);
    }
  }
  return report.exitCode;
}

/** Used when an error escapes before a command built its IO (argv is all we know). */
export function reportError(error: unknown, argv: string[]): number {
  const json = argv.includes('--json');
  const globals = { json, ...(argv.includes('--no-color') ? { color: false } : {}) };
  const color = decideColor(globals, process.env, isTerminal(2));
  return writeError(error, { json, color, verbose: argv.includes('--verbose') || argv.includes('-v') });
}
