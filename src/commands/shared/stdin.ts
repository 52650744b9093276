import { UsageError } from '../../errors.js';
import { MAX_LIST_BYTES, readUpTo } from './input-file.js';

/** stdin carries a customer list or a few secrets: a customer list's cap is plenty. */
const MAX_STDIN_BYTES = MAX_LIST_BYTES;

let stdinLines: string[] | undefined;

/**
 * Secrets come from stdin, one per line, in the order the flags are listed in --help (so
 * `--client-secret-stdin --refresh-token-stdin` reads the secret from line 1, the token from line 2).
 */
export function readStdinLine(what: string): string {
  stdinLines ??= readStdin().split(/\r?\n/);
  const line = stdinLines.shift()?.trim();
  if (!line) {
    throw new UsageError(`Expected ${what} on stdin, found nothing.`, {
      hint: `Pipe it in, e.g. printf '%s\\n' "$VALUE" | msp-license ...`,
    });
  }
  return line;
}

export function readStdinAll(): string {
  if (stdinLines) return stdinLines.splice(0).join('\n');
  stdinLines = [];
  return readStdin();
}

/** All of stdin, refused past MAX_STDIN_BYTES (`< /dev/zero` must not fill the memory). */
function readStdin(): string {
  return withDefaultSignals(() =>
    readUpTo(
      0,
      MAX_STDIN_BYTES,
      () => `More than ${MAX_STDIN_BYTES / 1024 / 1024} MiB on stdin.`,
      'Give a customer list or token of a sensible size on stdin.',
    ),
  );
}

/**
 * Runs a blocking read with the default signal dispositions: our handlers run on the event loop,
 * which a synchronous read holds, so with them in place Ctrl-C would do nothing while stdin stays
 * open and silent. Without them, Ctrl-C and SIGTERM end the process as a shell expects (130,
 * 143); nothing has been sent or written yet at this point.
 */
function withDefaultSignals<T>(read: () => T): T {
  const saved = (['SIGINT', 'SIGTERM'] as const).map((signal) => ({
    signal,
    listeners: process.listeners(signal),
  }));
  for (const { signal, listeners } of saved) for (const l of listeners) process.off(signal, l);
  try {
    return read();
  } finally {
    for (const { signal, listeners } of saved) for (const l of listeners) process.on(signal, l);
  }
}
