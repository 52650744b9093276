// One error hierarchy; every error that ends the program is a CliError, and its exit code is the
// one the README's "Exit codes" table gives. Nothing here imports anything: the start-up path
// loads it.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  cancelled: 3,
  auth: 4,
  rateLimited: 5,
  network: 6,
  stalled: 7,
  timeout: 8,
  /** `plan --check`: the estate has drifted from the policy (not an error: a finding). */
  drift: 10,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  /** A short machine-readable code for --json (`usage`, `auth`, `rate_limited`, ...). */
  code?: string;
  /** What the user can do about it; printed on its own line under the message. */
  hint?: string;
  httpStatus?: number;
  retryable?: boolean;
  cause?: unknown;
}

export class CliError extends Error {
  readonly exitCode: number;
  readonly code: string;
  readonly hint?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;

  constructor(message: string, exitCode: number = ExitCode.failure, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = options.code ?? 'failure';
    this.hint = options.hint;
    this.httpStatus = options.httpStatus;
    this.retryable = options.retryable ?? false;
  }
}

export class UsageError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.usage, { code: 'usage', ...options });
    this.name = 'UsageError';
  }
}

/**
 * A usage error in commander's words (`error: unknown option '--bogus'\n(Did you mean --base-url?)`)
 * as one of ours: a sentence, the suggestion and the help of the command it concerns (`path`:
 * `msp-license auth status`) as the hint. Whichever lane read argv (cli.ts, quick.ts).
 */
export function commanderUsageError(message: string, path: string): CliError {
  const [first = '', ...rest] = message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const sentence = `${first.charAt(0).toUpperCase()}${first.slice(1)}${/[.?!]$/.test(first) ? '' : '.'}`;
  const suggestion = rest.map((line) => line.replace(/^\((.*)\)$/, '$1')).join(' ');
  const help = `Run '${path} --help' for usage.`;
  return new CliError(sentence, ExitCode.usage, {
    code: 'usage',
    hint: suggestion ? `${suggestion} ${help}` : help,
  });
}

export class CancelledError extends CliError {
  constructor(message = 'Cancelled: nothing was sent.', options: CliErrorOptions = {}) {
    super(message, ExitCode.cancelled, { code: 'cancelled', ...options });
    this.name = 'CancelledError';
  }
}

export class AuthError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.auth, { code: 'auth', ...options });
    this.name = 'AuthError';
  }
}

export class RateLimitError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.rateLimited, { code: 'rate_limited', retryable: true, ...options });
    this.name = 'RateLimitError';
  }
}

export class NetworkError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.network, { code: 'network', retryable: true, ...options });
    this.name = 'NetworkError';
  }
}

/** The API answered with an error status that is not auth or rate limiting. */
export class ApiError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.failure, { code: 'api', ...options });
    this.name = 'ApiError';
  }
}

/** The config, cache or history on disk cannot be read or is not ours to overwrite. */
export class ConfigError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.failure, { code: 'config', ...options });
    this.name = 'ConfigError';
  }
}

export class StalledError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.stalled, { code: 'stalled', ...options });
    this.name = 'StalledError';
  }
}

export class WaitTimeoutError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.timeout, { code: 'timeout', ...options });
    this.name = 'WaitTimeoutError';
  }
}

/** 128 + the signal's number, the shell's convention: SIGHUP 129, SIGINT 130, SIGTERM 143. */
export const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export class InterruptedError extends CliError {
  /** Exit 130 for Ctrl-C; a stop by another signal exits with that signal's code (SIGNAL_EXIT). */
  constructor(
    message = 'Interrupted.',
    options: CliErrorOptions = {},
    exitCode: number = ExitCode.interrupted,
  ) {
    super(message, exitCode, { code: 'interrupted', ...options });
    this.name = 'InterruptedError';
  }
}
