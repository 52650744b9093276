// Reading a file named on the command line (--include-file, --exclude-file, --token-file): only
// a regular file, opened without blocking (a FIFO with no writer would hang open() deaf to
// signals) and never followed past a size cap (/dev/zero, a 300 MB mistake).
import fs from 'node:fs';
import { UsageError } from '../../errors.js';
import { readUpTo } from '../../ui/stdin.js';

/** A customer list: 100,000 customers of 40 characters is 4 MB. */
export const MAX_LIST_BYTES = 8 * 1024 * 1024;
/** A downloaded token file is well under 4 kB. */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024;

export interface InputFileOptions {
  /** `customer list`, `token file`: named in the messages. */
  what: string;
  maxBytes: number;
  /** How to give it properly, added to every refusal. */
  hint: string;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's text; a UsageError (exit 2) naming the file when it is not a regular file, too big or unreadable. */
export function readInputFile(file: string, options: InputFileOptions): string {
  const { what, maxBytes, hint } = options;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot read ${what} '${file}' (${reason}).`, { hint });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new UsageError(`The ${what} '${file}' is ${kindOf(stat)}, not a regular file.`, { hint });
    }
    if (stat.size > maxBytes) {
      throw new UsageError(`The ${what} '${file}' is ${mib(stat.size)}; the limit is ${mib(maxBytes)}.`, {
        hint,
      });
    }
    return readUpTo(fd, maxBytes, () => `The ${what} '${file}' is larger than ${mib(maxBytes)}.`, hint);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot read ${what} '${file}' (${reason}).`, { hint });
  } finally {
    fs.closeSync(fd);
  }
}
