// Profiles and credentials: a conf store at <dir>/config.json. Reading is plain fs + JSON with a
// light check of the shape (conf would read it the same way); conf (with ajv) is loaded only to
// write, and zod only to word what is wrong with an invalid file: start-up pays for neither.
import fs from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import type { z } from 'zod';
import { isRecord } from '../core/json.js';
import { isoTime } from '../core/text.js';
import { ConfigError, UsageError } from '../errors.js';
import { vendor } from '../vendor.js';
import { describeError, errorCode, mkdirPrivate, notRegular, unsafeOwnership } from './fs-private.js';
import { jsonErrorOffset, lineColumn } from './json-where.js';
import { configPaths, isValidProfileName } from './paths.js';

export interface Profile {
  name: string;
  baseUrl: string;
  cluster?: string;
  clientId: string;
  clientSecret?: string;
  accessToken?: string;
  /** ISO */
  accessTokenExpiresAt?: string;
  refreshToken?: string;
  /** ISO */
  refreshTokenIssuedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Written by `msp-license sandbox --write-profile`: the only kind it may replace. */
  sandbox?: boolean;
}

/** The config file format this build reads and writes. */
export const CONFIG_VERSION = 1;

const FIX_HINT = 'Fix it or move it aside (then log in again); it was not changed.';
const SECRET_KEYS = [
  'clientSecret',
  'accessToken',
  'accessTokenExpiresAt',
  'refreshToken',
  'refreshTokenIssuedAt',
] as const;
const EPOCH = isoTime(0);

// Lenient: unknown keys are kept (and written back), so an older build never drops what a newer
// one added; a null optional value counts as absent.
const PROFILE_REQUIRED = ['baseUrl', 'clientId'] as const;
const PROFILE_OPTIONAL = [
  'cluster',
  'clientSecret',
  'accessToken',
  'accessTokenExpiresAt',
  'refreshToken',
  'refreshTokenIssuedAt',
  'createdAt',
  'updatedAt',
] as const;

/**
 * zod's schemas for the file and a profile: built only for a file the light check refused, to
 * say what is wrong in zod's words (the light check accepts exactly what they accept).
 */
function zodSchemas() {
  const { z } = vendor<typeof import('zod')>('zod');
  const optionalString = z
    .string()
    .nullish()
    .transform((value) => value ?? undefined);
  const ProfileSchema = z.looseObject({
    baseUrl: z.string().min(1),
    clientId: z.string().min(1),
    cluster: optionalString,
    clientSecret: optionalString,
    accessToken: optionalString,
    accessTokenExpiresAt: optionalString,
    refreshToken: optionalString,
    refreshTokenIssuedAt: optionalString,
    createdAt: optionalString,
    updatedAt: optionalString,
  });
  const FileSchema = z.looseObject({
    version: z.number().int().positive().optional(),
    defaultProfile: optionalString,
    profiles: z.record(z.string(), z.unknown()).optional(),
  });
  return { ProfileSchema, FileSchema };
}

type Parsed<T> = { success: true; data: T } | { success: false; error: z.ZodError };

interface FileShape extends Record<string, unknown> {
  version?: number;
  defaultProfile?: string;
  profiles?: Record<string, unknown>;
}

const nullishString = (value: unknown) => value === undefined || value === null || typeof value === 'string';
const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length >= 1;

/** The known keys first (in the schema's order, as zod writes them), then the unknown ones. */
function looseCopy(
  input: Record<string, unknown>,
  known: readonly string[],
  nullToUndefined: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of known) {
    if (!(key in input)) continue;
    const value = input[key];
    out[key] = nullToUndefined.has(key) ? (value ?? undefined) : value;
  }
  for (const key of Object.keys(input)) if (!known.includes(key)) out[key] = input[key];
  return out;
}

const FILE_KEYS = ['version', 'defaultProfile', 'profiles'] as const;
const PROFILE_KEYS = [...PROFILE_REQUIRED, ...PROFILE_OPTIONAL] as const;

/** The file's shape as zod would read it (exported for the equivalence test). */
export function parseFile(raw: unknown): Parsed<FileShape> {
  const ok =
    isRecord(raw) &&
    (raw.version === undefined ||
      (typeof raw.version === 'number' && Number.isSafeInteger(raw.version) && raw.version > 0)) &&
    nullishString(raw.defaultProfile) &&
    (raw.profiles === undefined || isRecord(raw.profiles));
  if (!ok) return zodSchemas().FileSchema.safeParse(raw) as Parsed<FileShape>;
  return { success: true, data: looseCopy(raw, FILE_KEYS, new Set(['defaultProfile'])) as FileShape };
}

/** A profile as zod would read it (exported for the equivalence test). */
export function parseProfile(raw: unknown): Parsed<Record<string, unknown>> {
  const ok =
    isRecord(raw) &&
    PROFILE_REQUIRED.every((key) => nonEmptyString(raw[key])) &&
    PROFILE_OPTIONAL.every((key) => nullishString(raw[key]));
  if (!ok) return zodSchemas().ProfileSchema.safeParse(raw) as Parsed<Record<string, unknown>>;
  return { success: true, data: looseCopy(raw, PROFILE_KEYS, new Set(PROFILE_OPTIONAL)) };
}

type StoredProfile = Profile & Record<string, unknown>;

interface ConfigData {
  defaultProfile?: string;
  profiles: Map<string, StoredProfile>;
  /** top-level keys this build does not know */
  extra: Record<string, unknown>;
}

export class ConfigStore {
  readonly dir: string;
  /** config.json */
  readonly path: string;
  #conf: Conf | undefined;
  #data: ConfigData = emptyData();

  private constructor(dir: string) {
    this.dir = dir;
    this.path = configPaths(dir).config;
  }

  /**
   * Opens the store without creating anything: a missing directory or file is an empty store.
   * A corrupt, invalid or unreadable file is a ConfigError naming it; it is never overwritten.
   */
  static open(dir: string): ConfigStore {
    const store = new ConfigStore(dir);
    store.reload();
    return store;
  }

  /** Re-reads the file (e.g. under the refresh lock, to see another process's rotated token). */
  reload(): void {
    this.#data = this.#read();
  }

  listProfiles(): Profile[] {
    return [...this.#data.profiles.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copy);
  }

  getProfile(name: string): Profile | undefined {
    const profile = this.#data.profiles.get(name);
    return profile && copy(profile);
  }

  /** The default profile's name, if it is set and that profile exists. */
  defaultProfileName(): string | undefined {
    const name = this.#data.defaultProfile;
    return name !== undefined && this.#data.profiles.has(name) ? name : undefined;
  }

  /**
   * Creates or replaces a profile. It becomes the default with `makeDefault: true`, or when no
   * default exists yet and `makeDefault` is not `false`. Over a profile of another API client (so
   * perhaps of another account, even on the same gateway), the profile's caches go: its
   * customers, their auto-licensing answers and what doctor learned were that client's.
   */
  saveProfile(profile: Profile, options: { makeDefault?: boolean } = {}): void {
    checkName(profile.name);
    let replaced: StoredProfile | undefined;
    this.#mutate((data) => {
      replaced = data.profiles.get(profile.name);
      data.profiles.set(profile.name, withoutUndefined({ ...profile }) as StoredProfile);
      const hasDefault = data.defaultProfile !== undefined && data.profiles.has(data.defaultProfile);
      if (options.makeDefault === true || (!hasDefault && options.makeDefault !== false)) {
        data.defaultProfile = profile.name;
      }
    });
    if (replaced && replaced.clientId !== profile.clientId) this.#forgetCaches(profile.name);
  }

  /**
   * Applies `patch` to the profile as it is on disk now (a key set to undefined is removed; the
   * name cannot change) and sets `updatedAt` unless the patch does. Returns the result.
   */
  updateProfile(name: string, patch: Partial<Profile>): Profile {
    let result: StoredProfile | undefined;
    this.#mutate((data) => {
      const current = existing(data, name);
      const next = { ...current, ...patch, name, updatedAt: patch.updatedAt ?? new Date().toISOString() };
      result = withoutUndefined(next) as StoredProfile;
      data.profiles.set(name, result);
    });
    return copy(result!);
  }

  /** Drops the client secret and both tokens (with their timestamps); keeps the rest. */
  forgetSecrets(name: string): void {
    this.#mutate((data) => {
      const next: Record<string, unknown> = { ...existing(data, name) };
      for (const key of SECRET_KEYS) delete next[key];
      next.updatedAt = new Date().toISOString();
      data.profiles.set(name, next as StoredProfile);
    });
  }

  /** Removes the profile (and its caches); if it was the default, there is no default afterwards. */
  removeProfile(name: string): void {
    this.#mutate((data) => {
      existing(data, name);
      data.profiles.delete(name);
      if (data.defaultProfile === name) data.defaultProfile = undefined;
    });
    this.#forgetCaches(name);
  }

  #forgetCaches(name: string): void {
    fs.rmSync(path.join(configPaths(this.dir).cacheDir, name), { recursive: true, force: true });
  }

  setDefault(name: string): void {
    this.#mutate((data) => {
      existing(data, name);
      data.defaultProfile = name;
    });
  }

  /** A warning when the config directory or file can be read by group or others (POSIX only). */
  permissionWarning(): string | undefined {
    if (process.platform === 'win32') return undefined;
    const problems: string[] = [];
    for (const [target, wanted] of [
      [this.dir, 0o700],
      [this.path, 0o600],
    ] as const) {
      let mode: number;
      try {
        mode = fs.statSync(target).mode & 0o777;
      } catch {
        continue;
      }
      if ((mode & 0o077) !== 0) {
        problems.push(
          `${target} is accessible by other users (mode ${octal(mode)}); run: chmod ${octal(wanted)} ${target}`,
        );
      }
    }
    return problems.length > 0 ? `Credentials may be exposed: ${problems.join('; ')}` : undefined;
  }

  /** Read-modify-write against the file as it is now, so another process's write is not undone. */
  #mutate(change: (data: ConfigData) => void): void {
    const data = this.#read();
    change(data);
    this.#write(data);
    this.#data = data;
  }

  /**
   * Refuses a config.json that is not a regular file (a symlink would send reads, writes and
   * chmod elsewhere), and a directory or file another user owns or can write (who could plant
   * or swap what we read, or read what we write). ConfigError with the command that fixes it.
   */
  #checkSafe(): void {
    const odd = notRegular(this.path);
    if (odd) {
      throw new ConfigError(
        `The config file ${this.path} cannot be read: it is ${odd}; msp-license reads and writes only a regular file there.`,
        {
          hint: odd.startsWith('a symbolic link')
            ? `Replace the link with the file itself: cp --remove-destination "$(readlink -f '${this.path}')" '${this.path}'`
            : `Move it aside: mv '${this.path}' '${this.path}.bak'`,
        },
      );
    }
    const problem = unsafeOwnership(this.dir, 'directory') ?? unsafeOwnership(this.path, 'file');
    if (problem) {
      const [message, fix] = problem.split('; run: ');
      throw new ConfigError(`${message}: refusing to keep credentials there.`, {
        hint: fix ? `Run: ${fix}` : undefined,
      });
    }
  }

  #read(): ConfigData {
    this.#checkSafe();
    try {
      fs.statSync(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return emptyData();
      throw unreadable(this.path, error);
    }
    let raw: unknown;
    try {
      // As conf reads it (its `store`): the text, through the same deserialize as conf's.
      raw = deserialize(fs.readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw unreadable(this.path, error);
    }
    return parseConfig(this.path, raw);
  }

  #write(data: ConfigData): void {
    mkdirPrivate(this.dir);
    this.#checkSafe();
    try {
      // conf writes atomically: a temp file beside it, fsync, chmod 0600, rename.
      this.#confStore().store = serialize(data);
      if ((fs.statSync(this.path).mode & 0o777) !== 0o600) fs.chmodSync(this.path, 0o600);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`Cannot write the config file ${this.path}: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  #confStore(): Conf {
    const { default: Conf } = vendor<{ default: typeof import('conf').default }>('conf');
    this.#conf ??= new Conf({
      cwd: this.dir,
      configName: 'config',
      projectSuffix: '',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
      deserialize,
    });
    return this.#conf;
  }
}

/** conf would turn `null`, `[]` or `"x"` into an object and then write over it: refuse them. */
function deserialize(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the mistake: secrets, maybe. Say where.
    const offset = jsonErrorOffset(text) ?? 0;
    const { line, column } = lineColumn(text, offset);
    throw new JsonSyntaxError(line, column);
  }
  if (!isRecord(value)) throw new NotAnObjectError();
  // conf hands its store out as a copy without a prototype.
  return Object.assign(Object.create(null), value) as Record<string, unknown>;
}

/**
 * The profile to use: the flag, else MSP_LICENSE_PROFILE, else the store's default, else the only
 * profile if there is exactly one. A flag or variable that is not a valid name is a UsageError.
 */
export function resolveProfileName(
  store: ConfigStore,
  flag?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (flag) return checkName(flag, '--profile');
  const fromEnv = env.MSP_LICENSE_PROFILE;
  if (fromEnv) return checkName(fromEnv, 'MSP_LICENSE_PROFILE');
  const fallback = store.defaultProfileName();
  if (fallback !== undefined) return fallback;
  const profiles = store.listProfiles();
  return profiles.length === 1 ? profiles[0]!.name : undefined;
}

function checkName(name: string, source = 'Profile name'): string {
  if (!isValidProfileName(name)) {
    throw new UsageError(`${source}: invalid profile name ${JSON.stringify(name)}`, {
      hint: 'A profile name is 1 to 64 of A-Z a-z 0-9 _ . - (not starting with "-", not "." or "..").',
    });
  }
  return name;
}

function existing(data: ConfigData, name: string): StoredProfile {
  const profile = data.profiles.get(name);
  if (!profile) {
    const names = [...data.profiles.keys()].sort();
    throw new UsageError(`No profile named ${JSON.stringify(name)}`, {
      hint: names.length > 0 ? `Profiles: ${names.join(', ')}` : 'Run `msp-license login` to create one.',
    });
  }
  return profile;
}

function parseConfig(file: string, raw: unknown): ConfigData {
  const parsed = parseFile(raw);
  if (!parsed.success) throw invalid(file, formatIssues(parsed.error.issues));
  const { version, defaultProfile, profiles, ...extra } = parsed.data;
  if (version !== undefined && version > CONFIG_VERSION) {
    throw new ConfigError(
      `The config file ${file} has format version ${version}, newer than this msp-license understands (${CONFIG_VERSION}).`,
      { hint: 'Upgrade msp-license, or move the file aside; it was not changed.' },
    );
  }
  const data: ConfigData = { defaultProfile, profiles: new Map(), extra };
  for (const [name, value] of Object.entries(profiles ?? {})) {
    if (!isValidProfileName(name))
      throw invalid(file, `profiles: invalid profile name ${JSON.stringify(name)}`);
    const profile = parseProfile(value);
    if (!profile.success) throw invalid(file, formatIssues(profile.error.issues, ['profiles', name]));
    // The key is the name; timestamps a hand edit left out read as the epoch.
    const { createdAt, updatedAt, ...rest } = profile.data;
    const stored = {
      ...rest,
      name,
      createdAt: createdAt ?? updatedAt ?? EPOCH,
      updatedAt: updatedAt ?? EPOCH,
    };
    data.profiles.set(name, withoutUndefined(stored) as StoredProfile);
  }
  return data;
}

function serialize(data: ConfigData): Record<string, unknown> {
  const profiles: Record<string, unknown> = {};
  for (const [name, profile] of data.profiles) profiles[name] = profile;
  return withoutUndefined({
    version: CONFIG_VERSION,
    defaultProfile: data.defaultProfile,
    profiles,
    ...data.extra,
  });
}

function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const where = [...prefix, ...issue.path].map(String).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  return shown.join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : '');
}

function invalid(file: string, detail: string): ConfigError {
  return new ConfigError(`The config file ${file} is invalid: ${detail}`, { hint: FIX_HINT });
}

class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
  ) {
    super(`not valid JSON (line ${line}, column ${column})`);
  }
}

class NotAnObjectError extends Error {
  constructor() {
    super('expected a JSON object at the top level');
  }
}

function unreadable(file: string, error: unknown): ConfigError {
  if (error instanceof NotAnObjectError) return invalid(file, error.message);
  if (error instanceof JsonSyntaxError) {
    return new ConfigError(`The config file ${file} is ${error.message}.`, { hint: FIX_HINT });
  }
  if (error instanceof SyntaxError) {
    return new ConfigError(`The config file ${file} is not valid JSON.`, { hint: FIX_HINT });
  }
  const what = 'cannot be read';
  return new ConfigError(`The config file ${file} ${what}: ${describeError(error)}`, {
    hint: FIX_HINT,
    cause: error,
  });
}

function emptyData(): ConfigData {
  return { profiles: new Map(), extra: {} };
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function copy(profile: StoredProfile): Profile {
  return { ...profile };
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
