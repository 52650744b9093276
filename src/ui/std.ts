// stdout and stderr as the CLI writes them. A terminal gets Node's own stream (its width, colour
// and the spinner's cursor work need it). A pipe or a file gets its file descriptor written
// synchronously: Node's stream for a pipe costs a few milliseconds of start-up (net, stream, a
// libuv handle) for what is most often a few lines, and its writes are synchronous on Linux anyway.
// A reader that went away (EPIPE) is an 'error' event, as on Node's stream: runtime.ts decides
// what it means (a sent license job goes on to its true outcome).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { isatty } from 'node:tty';

export interface Out extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly destroyed: boolean;
}

/** The file descriptor of a pipe or a file as a writable stream (the part of one the CLI uses). */
export class FdOut extends EventEmitter {
  readonly isTTY = false;
  readonly columns = undefined;
  readonly writable = true;
  destroyed = false;

  constructor(readonly fd: number) {
    super();
  }

  write(chunk: string | Uint8Array, encoding?: unknown, callback?: (error?: Error | null) => void): boolean {
    const done = typeof encoding === 'function' ? (encoding as typeof callback) : callback;
    let error: NodeJS.ErrnoException | undefined;
    if (!this.destroyed) {
      try {
        writeAll(this.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      } catch (caught) {
        error = caught as NodeJS.ErrnoException;
        this.destroyed = true;
        process.nextTick(() => this.emit('error', error));
      }
    }
    if (done) process.nextTick(() => done(error ?? null));
    return !error;
  }

  end(): this {
    return this;
  }
}

/** Writes all of `bytes`; a non-blocking descriptor that is full (EAGAIN) is waited on, 1 ms at a time. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Whether the descriptor is a terminal. Only a character device other than /dev/null can be one:
 * a pipe, a file or /dev/null (cron's `> /dev/null 2>&1`) is told by fstat, without loading
 * node:tty (which loads net and stream: a few milliseconds; the build makes it a module loaded on
 * first use). A closed descriptor is no terminal.
 */
export function isTerminal(fd: number): boolean {
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isCharacterDevice() || stat.rdev === devNull()) return false;
  } catch {
    return false;
  }
  return isatty(fd);
}

let devNullRdev: number | undefined;
/** /dev/null's device number: cron's `> /dev/null` is a character device that is no terminal. */
function devNull(): number {
  if (devNullRdev === undefined) {
    try {
      devNullRdev = fs.statSync('/dev/null').rdev;
    } catch {
      devNullRdev = -1;
    }
  }
  return devNullRdev;
}

let streams: { stdout: Out; stderr: Out } | undefined;

/** The process's stdout and stderr: Node's streams on a terminal, the descriptors otherwise. */
export function std(): { stdout: Out; stderr: Out } {
  streams ??= {
    stdout: isTerminal(1) ? process.stdout : (new FdOut(1) as unknown as Out),
    stderr: isTerminal(2) ? process.stderr : (new FdOut(2) as unknown as Out),
  };
  return streams;
}

/**
 * `msp-license sandbox --help | head -1`: a reader that leaves early (EPIPE) or a terminal that went
 * away (EIO) ends the output with the exit code so far, not with a stack trace. Both lanes install
 * it before a command runs; once one runs, runtime.ts's own listener decides (a sent license job
 * goes on to its true outcome).
 */
export function exitQuietlyOnClosedPipe(): void {
  const { stdout, stderr } = std();
  for (const stream of [stdout, stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (stream.listenerCount('error') > 1) return;
      if (error.code === 'EPIPE' || error.code === 'EIO') process.exit(Number(process.exitCode ?? 0));
      throw error;
    });
  }
}

/** Calls `done` once everything written to stdout and stderr has left the process. */
export function flushed(done: () => void): void {
  const { stdout, stderr } = std();
  stdout.write('', () => stderr.write('', done));
}
