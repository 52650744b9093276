// IO with fake streams: colour is decided per stream (a terminal stdout and a piped stderr, and
// the other way round), and stdin is read through the IO with its cap.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { GlobalOptions } from '../../../src/globals.js';
import { decideColor } from '../../../src/ui/color.js';
import { createIO } from '../../../src/ui/io.js';

const RED = '\u001b[31m';

/** An IO over fake streams: what each stream received is read back with `text()`. */
function fakeIO(
  tty: { stdout: boolean; stderr: boolean },
  env: NodeJS.ProcessEnv = {},
  globals: GlobalOptions = {},
) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty.stdout, columns: 80 });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty.stderr, columns: 80 });
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const io = createIO(globals, { stdout, stderr, stdin, env });
  io.out(io.styleOut('red', 'data'));
  io.warn(io.style('red', 'warning'));
  return { io, out: String(stdout.read() ?? ''), err: String(stderr.read() ?? '') };
}

describe('colour per stream', () => {
  it('stdout a file, stderr a terminal: stdout plain, stderr coloured', () => {
    const { io, out, err } = fakeIO({ stdout: false, stderr: true });
    expect([io.stdoutColor, io.stderrColor, io.color]).toEqual([false, true, true]);
    expect(out).toBe('data\n');
    expect(err).toBe(`${RED}warning\u001b[39m\n`);
  });

  it('stdout a terminal, stderr a file: stdout coloured, stderr plain', () => {
    const { io, out, err } = fakeIO({ stdout: true, stderr: false });
    expect([io.stdoutColor, io.stderrColor, io.color]).toEqual([true, false, false]);
    expect(out).toBe(`${RED}data\u001b[39m\n`);
    expect(err).toBe('warning\n');
  });

  it('both terminals: both coloured; neither: neither', () => {
    expect(fakeIO({ stdout: true, stderr: true }).out).toContain(RED);
    expect(fakeIO({ stdout: true, stderr: true }).err).toContain(RED);
    expect(fakeIO({ stdout: false, stderr: false }).out).toBe('data\n');
    expect(fakeIO({ stdout: false, stderr: false }).err).toBe('warning\n');
  });

  it('NO_COLOR, --no-color, TERM=dumb turn both off on terminals; FORCE_COLOR turns both on in pipes', () => {
    const both = { stdout: true, stderr: true };
    for (const off of [
      fakeIO(both, { NO_COLOR: '1' }),
      fakeIO(both, {}, { color: false }),
      fakeIO(both, { TERM: 'dumb' }),
    ]) {
      expect([off.io.stdoutColor, off.io.stderrColor, off.out, off.err]).toEqual([
        false,
        false,
        'data\n',
        'warning\n',
      ]);
    }
    const forced = fakeIO({ stdout: false, stderr: false }, { FORCE_COLOR: '1' });
    expect([forced.io.stdoutColor, forced.io.stderrColor]).toEqual([true, true]);
  });

  it('--json: no colour anywhere, and no spinner', () => {
    const { io } = fakeIO({ stdout: true, stderr: true }, {}, { json: true });
    expect([io.stdoutColor, io.stderrColor, io.spinner]).toEqual([false, false, false]);
  });
});

describe('decideColor (one stream)', () => {
  it.each([
    [{}, {}, true, true],
    [{}, {}, false, false],
    [{ color: false }, {}, true, false],
    [{ json: true }, { FORCE_COLOR: '1' }, true, false],
    [{}, { NO_COLOR: '1' }, true, false],
    [{}, { NO_COLOR: '' }, true, true],
    [{}, { NO_COLOR: '1', FORCE_COLOR: '1' }, false, false],
    [{}, { FORCE_COLOR: '1' }, false, true],
    [{}, { FORCE_COLOR: '0' }, true, false],
    [{}, { FORCE_COLOR: 'false' }, true, false],
    [{}, { TERM: 'dumb' }, true, false],
  ] as Array<[GlobalOptions, NodeJS.ProcessEnv, boolean, boolean]>)(
    '%j %j tty=%s → %s',
    (globals, env, tty, want) => {
      expect(decideColor(globals, env, tty)).toBe(want);
    },
  );
});

describe('stdin through the IO', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  /** An IO whose stdin is a file holding `content`. */
  const withStdin = (content: string | Buffer) => {
    const dir = mkdtempSync(join(tmpdir(), 'io-stdin-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'stdin'), content);
    const fd = openSync(join(dir, 'stdin'), 'r');
    const io = createIO(
      {},
      {
        stdout: new PassThrough(),
        stderr: new PassThrough(),
        stdin: new PassThrough(),
        env: {},
        stdinFd: fd,
      },
    );
    return { io, close: () => closeSync(fd) };
  };

  it('lines in order, then the rest as a whole', () => {
    const { io, close } = withStdin('secret\r\n token \nc1\nc2\n');
    expect(io.readStdinLine('the client secret')).toBe('secret');
    expect(io.readStdinLine('the refresh token')).toBe('token');
    expect(io.readStdin()).toBe('c1\nc2\n');
    close();
  });

  it('a missing line is a usage error naming what was expected', () => {
    const { io, close } = withStdin('only\n');
    expect(io.readStdinLine('the client secret')).toBe('only');
    expect(() => io.readStdinLine('the password')).toThrow(/Expected the password on stdin, found nothing/);
    close();
  });

  it('more than 8 MiB is refused with a usage error', () => {
    const { io, close } = withStdin(Buffer.alloc(8 * 1024 * 1024 + 1, 'a'));
    let error: unknown;
    try {
      io.readStdin();
    } catch (e) {
      error = e;
    }
    close();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('More than 8 MiB on stdin.');
  });
});
