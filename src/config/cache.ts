// Cached API lists (services, customers) per profile. Node built-ins only: shell completion reads
// these and must never touch the network or load heavy modules.
import fs from 'node:fs';
import path from 'node:path';
import { customerCandidatesText } from '../completion/candidates.js';
import { ConfigError } from '../errors.js';
import { customersTableFile } from '../ui/customers-table.js';
import { describeError, mkdirPrivate, notRegular, unsafeOwnership, writeFileAtomic } from './fs-private.js';
import { configPaths } from './paths.js';

export interface CacheEntry<T> {
  /** epoch ms */
  fetchedAt: number;
  /** the gateway the data came from: a cache from another gateway is not this one's */
  baseUrl: string;
  data: T;
}

// A cache key names a folder or file: a profile name, or a key derived from a gateway URL (longer
// than 64), but never anything that could leave cache/.
const CACHE_SEGMENT = /^[A-Za-z0-9_.-]{1,200}$/;

function checkSegment(kind: string, value: string): string {
  if (!CACHE_SEGMENT.test(value) || value === '.' || value === '..') {
    throw new TypeError(`Invalid ${kind} for a cache file: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * `<dir>/cache/<profile>/<name>.json`. `profile` and `name` are `[A-Za-z0-9_.-]{1,200}` (not `.`
 * or `..`); anything else is a TypeError (a programming error, not user input).
 */
export function cacheFile(dir: string, profile: string, name: string): string {
  return path.join(
    configPaths(dir).cacheDir,
    checkSegment('profile', profile),
    `${checkSegment('name', name)}.json`,
  );
}

/** The cached entry, or undefined when it is missing, unreadable or corrupt. Never throws. */
export function readCache<T>(dir: string, profile: string, name: string): CacheEntry<T> | undefined {
  try {
    const file = cacheFile(dir, profile, name);
    // Completion offers what a cache holds: one anyone else could have planted is not read.
    if (!trusted(dir, file)) return undefined;
    const value: unknown = JSON.parse(readNoFollow(file));
    if (value === null || typeof value !== 'object') return undefined;
    const entry = value as Partial<CacheEntry<T>>;
    if (typeof entry.fetchedAt !== 'number' || !Number.isFinite(entry.fetchedAt)) return undefined;
    if (typeof entry.baseUrl !== 'string' || !('data' in entry)) return undefined;
    return { fetchedAt: entry.fetchedAt, baseUrl: entry.baseUrl, data: entry.data as T };
  } catch {
    return undefined;
  }
}

/** A regular file of ours, in folders of ours that no one else can write. */
function trusted(dir: string, file: string): boolean {
  if (notRegular(file)) return false;
  const folders = [dir, configPaths(dir).cacheDir, path.dirname(file)];
  return (
    unsafeOwnership(file, 'file') === undefined &&
    folders.every((folder) => unsafeOwnership(folder, 'directory') === undefined)
  );
}

function readNoFollow(file: string): string {
  return readBytesNoFollow(file).toString('utf8');
}

/** The whole file in one buffer, not following a symbolic link, never blocking on a FIFO. */
function readBytesNoFollow(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Files written next to a cache, made from its data, ready to print: `<name>.<kind>`, a stamp line
 * (companionStamp: what ties it to the cache file as written), then the text. A reader prints them
 * instead of parsing the list, when the stamp still matches the cache file as it is now:
 * - `candidates`: what `__complete` answers with nothing typed yet for a customer value;
 * - `table`: the table `customers` prints (ui/customers-table.ts; none for a short list).
 * A maker returns undefined when it has nothing for this data (then no file is left).
 */
type MakeCompanion = (data: unknown, baseUrl: string) => string | undefined;
const COMPANIONS: Record<string, Record<string, MakeCompanion>> = {
  customers: { candidates: customerCandidatesText, table: customersTableFile },
};

/** `<name>.<kind>` next to `<name>.json`. */
function companionFile(file: string, kind: string): string {
  return `${file.slice(0, -'.json'.length)}.${checkSegment('kind', kind)}`;
}

/** What ties a companion to the cache file it was made from: its fetchedAt and its size. */
const companionStamp = (fetchedAt: number, size: number) => `${fetchedAt} ${size}`;

/** The cache file's fetchedAt and size as it is now, from its first bytes and fstat; else undefined. */
function currentStamp(file: string): { fetchedAt: number; size: number } | undefined {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(64);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const match = /^\{"fetchedAt":(\d{1,16}),/.exec(head.toString('latin1', 0, read));
    return match ? { fetchedAt: Number(match[1]), size: fs.fstatSync(fd).size } : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

export interface Companion {
  /** The fetchedAt of the cache it was made from (epoch ms). */
  fetchedAt: number;
  /** Its text after the stamp line, as bytes (a view into the one buffer read, no copy). */
  body: Buffer;
}

/**
 * The companion `kind` written with the cache `name` (see COMPANIONS), when it was made from the
 * cache file as it is now (same fetchedAt, same size) and both are trusted files of ours; else
 * undefined (a cache written by hand or by an older version, a write cut short, a race between two
 * writers, a file anyone else could have planted). Reads the cache file's first bytes only.
 * Never throws.
 */
export function readCompanion(
  dir: string,
  profile: string,
  name: string,
  kind: string,
): Companion | undefined {
  try {
    const file = cacheFile(dir, profile, name);
    const companion = companionFile(file, kind);
    if (!trusted(dir, file) || !trusted(dir, companion)) return undefined;
    const bytes = readBytesNoFollow(companion);
    const end = bytes.indexOf(10);
    const stamp = end === -1 ? undefined : currentStamp(file);
    if (!stamp || bytes.toString('latin1', 0, end) !== companionStamp(stamp.fetchedAt, stamp.size)) {
      return undefined;
    }
    return { fetchedAt: stamp.fetchedAt, body: bytes.subarray(end + 1) };
  } catch {
    return undefined;
  }
}

/** The completion candidates written with the cache `name` (readCompanion); else undefined. */
export function readCandidates(dir: string, profile: string, name: string): string | undefined {
  return readCompanion(dir, profile, name, 'candidates')?.body.toString('utf8');
}

/**
 * Writes the entry atomically (temp file + fsync + rename); folders 0700, file 0600. Then its
 * companions, when it has some (COMPANIONS), atomically and 0600 too: best effort, a failure
 * there only leaves their readers on the slow path (an older companion's stamp no longer matches).
 */
export function writeCache<T>(dir: string, profile: string, name: string, baseUrl: string, data: T): void {
  const file = cacheFile(dir, profile, name);
  mkdirPrivate(dir);
  mkdirPrivate(configPaths(dir).cacheDir);
  mkdirPrivate(path.dirname(file));
  const entry: CacheEntry<T> = { fetchedAt: Date.now(), baseUrl, data };
  const json = JSON.stringify(entry);
  try {
    writeFileAtomic(file, json);
  } catch (error) {
    throw new ConfigError(`Cannot write the cache file ${file}: ${describeError(error)}`, { cause: error });
  }
  const companions = Object.hasOwn(COMPANIONS, name) ? COMPANIONS[name] : undefined;
  const stamp = companionStamp(entry.fetchedAt, Buffer.byteLength(json));
  for (const [kind, make] of Object.entries(companions ?? {})) {
    const target = companionFile(file, kind);
    try {
      const text = make(data, baseUrl);
      if (text === undefined) fs.rmSync(target, { force: true });
      else writeFileAtomic(target, `${stamp}\n${text}`);
    } catch {
      // the stamp of the older file (if any) no longer matches: its reader takes the slow path
    }
  }
}
