// Cached API lists (services, customers) per profile. Node built-ins only: shell completion reads
// these and must never touch the network or load heavy modules.
import fs from 'node:fs';
import path from 'node:path';
import { customerCandidatesText } from '../completion/candidates.js';
import { ConfigError } from '../errors.js';
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
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Caches whose completion candidates are written next to them, ready to print (`__complete` with
 * nothing typed yet reads that instead of parsing the list): the text, from the cached data.
 */
const CANDIDATES: Record<string, (data: unknown) => string> = { customers: customerCandidatesText };

/** `<name>.candidates` next to `<name>.json`: a stamp line (candidatesStamp), then the candidates. */
function candidatesFile(file: string): string {
  return `${file.slice(0, -'.json'.length)}.candidates`;
}

/** What ties candidates to the cache file they were made from: its fetchedAt and its size. */
const candidatesStamp = (fetchedAt: number, size: number) => `${fetchedAt} ${size}`;

/** The stamp of the cache file as it is now, from its first bytes and its size; else undefined. */
function currentStamp(file: string): string | undefined {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(64);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    const match = /^\{"fetchedAt":(\d{1,16}),/.exec(head.toString('latin1', 0, read));
    return match ? candidatesStamp(Number(match[1]), fs.fstatSync(fd).size) : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The completion candidates written with the cache `name` (see CANDIDATES), when they were made
 * from the cache file as it is now (same fetchedAt, same size); else undefined (a cache written
 * by hand or by an older version, a write cut short, a race between two writers). Never throws.
 */
export function readCandidates(dir: string, profile: string, name: string): string | undefined {
  try {
    const file = cacheFile(dir, profile, name);
    const candidates = candidatesFile(file);
    if (!trusted(dir, file) || !trusted(dir, candidates)) return undefined;
    const text = readNoFollow(candidates);
    const stamp = text.indexOf('\n');
    if (stamp === -1 || text.slice(0, stamp) !== currentStamp(file)) return undefined;
    return text.slice(stamp + 1);
  } catch {
    return undefined;
  }
}

/**
 * Writes the entry atomically (temp file + fsync + rename); folders 0700, file 0600. Then its
 * completion candidates, when it has some (CANDIDATES): best effort, a failure there only leaves
 * completion on its slow path.
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
  const candidates = Object.hasOwn(CANDIDATES, name) ? CANDIDATES[name] : undefined;
  if (!candidates) return;
  try {
    const stamp = candidatesStamp(entry.fetchedAt, Buffer.byteLength(json));
    writeFileAtomic(candidatesFile(file), `${stamp}\n${candidates(data)}`);
  } catch {
    // the stamp of the older candidates file (if any) no longer matches: completion reads the list
  }
}
