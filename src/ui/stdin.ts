// Reading stdin and capped files synchronously: fd 0 is read through the IO (io.ts), never from a
// command behind its back. A blocking read keeps a cap (`< /dev/zero` must not fill the memory)
// and leaves Ctrl-C working (see withDefaultSignals).
import fs from 'node:fs';
import { UsageError } from '../errors.js';

/** stdin carries a customer list or a few secrets: a customer list's cap (8 MiB) is plenty. */
export const MAX_STDIN_BYTES = 8 * 1024 * 1024;

/** Reads `fd` to its end, refusing more than `maxBytes` (a file may grow after its fstat). */
export function readUpTo(fd: number, maxBytes: number, tooBig: () => string, hint: string): string {
  const chunks: Buffer[] = [];
  let size = 0;
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    size += n;
    if (size > maxBytes) throw new UsageError(tooBig(), { hint });
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export interface StdinReader {
  /** What is left of stdin, all of it (refused past MAX_STDIN_BYTES). */
  all(): string;
  /** The next line, trimmed; a UsageError naming `what` when there is none. */
  line(what: string): string;
}

/**
 * stdin of `fd`, read once: secrets come one per line, in the order the flags are listed in
 * --help (so `--client-secret-stdin --refresh-token-stdin` reads the secret from line 1, the
 * token from line 2); `all()` takes the lines not taken yet.
 */
export function createStdinReader(fd: number, maxBytes = MAX_STDIN_BYTES): StdinReader {
  let lines: string[] | undefined;
  const read = () =>
    withDefaultSignals(() =>
      readUpTo(
        fd,
        maxBytes,
        () => `More than ${maxBytes / 1024 / 1024} MiB on stdin.`,
        'Give a customer list or token of a sensible size on stdin.',
      ),
    );
  return {
    all() {
      if (lines) return lines.splice(0).join('\n');
      lines = [];
      return read();
    },
    line(what) {
      lines ??= read().split(/\r?\n/);
      const line = lines.shift()?.trim();
      if (!line) {
        throw new UsageError(`Expected ${what} on stdin, found nothing.`, {
          hint: `Pipe it in, e.g. printf '%s\\n' "$VALUE" | msp-license ...`,
        });
      }
      return line;
    },
  };
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
