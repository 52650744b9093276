// Where msp-license keeps its files. Node built-ins only: completion and start-up load this.
import os from 'node:os';
import path from 'node:path';

const APP = 'msp-license';

/**
 * The config directory: MSP_LICENSE_CONFIG_DIR, else $XDG_CONFIG_HOME/msp-license, else the OS
 * default (Linux ~/.config, macOS ~/Library/Preferences, Windows %APPDATA%). Pure: creates nothing.
 */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const explicit = env.MSP_LICENSE_CONFIG_DIR;
  if (explicit) return p.resolve(explicit);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, APP);
  if (platform === 'win32') {
    const appData = env.APPDATA || p.join(env.USERPROFILE || os.homedir(), 'AppData', 'Roaming');
    return p.join(appData, APP);
  }
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return p.join(home, 'Library', 'Preferences', APP);
  return p.join(home, '.config', APP);
}

export interface ConfigPaths {
  dir: string;
  /** config.json: profiles and credentials (the conf store). */
  config: string;
  /** config.lock: held while a token refresh rewrites the config. */
  lock: string;
  /** history.jsonl: the append-only audit log. */
  history: string;
  /** cache/<profile>/<name>.json */
  cacheDir: string;
}

export function configPaths(dir: string): ConfigPaths {
  return {
    dir,
    config: path.join(dir, 'config.json'),
    lock: path.join(dir, 'config.lock'),
    history: path.join(dir, 'history.jsonl'),
    cacheDir: path.join(dir, 'cache'),
  };
}

// Not starting with '-': `-p -x` or `profiles use -x` would read as a flag.
const PROFILE_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;

/**
 * A profile name is `[A-Za-z0-9_.-]{1,64}` not starting with `-`, and not `.` or `..` (it names a folder under cache/
 * and must never climb out of it) nor `__proto__` (it is a key of a JSON object).
 */
export function isValidProfileName(name: string): boolean {
  return PROFILE_NAME.test(name) && name !== '.' && name !== '..' && name !== '__proto__';
}
