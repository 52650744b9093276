// Cached API lists (services, customers) per profile. Node built-ins only: shell completion reads
// these and must never touch the network or load heavy modules.
import fs from 'node:fs';
import path from 'node:path';
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

/** Writes the entry atomically (temp file + fsync + rename); folders 0700, file 0600. */
export function writeCache<T>(dir: string, profile: string, name: string, baseUrl: string, data: T): void {
  const file = cacheFile(dir, profile, name);
  mkdirPrivate(dir);
  mkdirPrivate(configPaths(dir).cacheDir);
  mkdirPrivate(path.dirname(file));
  const entry: CacheEntry<T> = { fetchedAt: Date.now(), baseUrl, data };
  try {
    writeFileAtomic(file, JSON.stringify(entry));
  } catch (error) {
    throw new ConfigError(`Cannot write the cache file ${file}: ${describeError(error)}`, { cause: error });
  }
}
