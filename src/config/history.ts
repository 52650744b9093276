// The local audit log: one JSON record per line, append-only. Node built-ins only.
import fs from 'node:fs';
import { isRecord } from '../core/json.js';
import { ConfigError } from '../errors.js';
import { describeError, errorCode, mkdirPrivate } from './fs-private.js';
import { configPaths } from './paths.js';

export interface HistoryRecord {
  id: string;
  event: string;
  /** ISO time */
  time: string;
  [key: string]: unknown;
}

/**
 * Appends one record as one line. The line goes out in a single write() on an O_APPEND
 * descriptor, so concurrent appenders never interleave. If the file ends in a torn line (a crash
 * mid-write), the new line starts with a newline so the torn one stays isolated and skippable.
 * The file is created 0600 (its folder 0700).
 */
export function appendHistory(dir: string, record: HistoryRecord): void {
  const file = configPaths(dir).history;
  const line = `${JSON.stringify(record)}\n`;
  mkdirPrivate(dir);
  let fd: number | undefined;
  try {
    // 'a+' is O_APPEND|O_CREAT|O_RDWR: appends like 'a', and lets us read the last byte.
    // O_NOFOLLOW: a symlink in its place must not send the audit log elsewhere.
    fd = fs.openSync(
      file,
      fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_RDWR | fs.constants.O_NOFOLLOW,
      0o600,
    );
    const size = fs.fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const bytes = Buffer.from(prefix + line, 'utf8');
    let written = fs.writeSync(fd, bytes);
    // A regular file takes the whole buffer in one write; this loop is only a safety net.
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    fs.fsyncSync(fd);
  } catch (error) {
    throw new ConfigError(`Cannot append to the history file ${file}: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * All valid records, oldest first. Lines that are not a JSON record with string `id`, `event`
 * and `time` (a torn line, a hand edit) are skipped and counted; blank lines are ignored.
 * A missing file is an empty history; only an unreadable one throws (ConfigError).
 */
export function readHistory(dir: string): { records: HistoryRecord[]; skipped: number } {
  const file = configPaths(dir).history;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { records: [], skipped: 0 };
    throw new ConfigError(`Cannot read the history file ${file}: ${describeError(error)}`, { cause: error });
  }
  const records: HistoryRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = parseRecord(line);
    if (record) records.push(record);
    else skipped++;
  }
  return { records, skipped };
}

function parseRecord(line: string): HistoryRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value)) return undefined;
    if (typeof value.id !== 'string' || typeof value.event !== 'string' || typeof value.time !== 'string') {
      return undefined;
    }
    return value as HistoryRecord;
  } catch {
    return undefined;
  }
}
