import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, configPaths, isValidProfileName } from '../../../src/config/paths.js';

describe('configDir', () => {
  it('prefers MSP_LICENSE_CONFIG_DIR (made absolute)', () => {
    expect(configDir({ MSP_LICENSE_CONFIG_DIR: '/opt/msp', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(
      '/opt/msp',
    );
    expect(configDir({ MSP_LICENSE_CONFIG_DIR: 'rel' }, 'linux')).toBe(path.resolve('rel'));
  });

  it('then $XDG_CONFIG_HOME/msp-license, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/xdg', HOME: '/home/u' }, 'linux')).toBe('/xdg/msp-license');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg', HOME: '/Users/u' }, 'darwin')).toBe('/xdg/msp-license');
    expect(configDir({ XDG_CONFIG_HOME: 'rel', HOME: '/home/u' }, 'linux')).toBe(
      '/home/u/.config/msp-license',
    );
  });

  it('then the OS default', () => {
    expect(configDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/msp-license');
    expect(configDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Preferences/msp-license');
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\msp-license',
    );
    expect(configDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'msp-license'));
  });

  it('reads process.env by default', () => {
    const saved = process.env.MSP_LICENSE_CONFIG_DIR;
    process.env.MSP_LICENSE_CONFIG_DIR = '/from/env';
    try {
      expect(configDir()).toBe(path.resolve('/from/env'));
    } finally {
      if (saved === undefined) delete process.env.MSP_LICENSE_CONFIG_DIR;
      else process.env.MSP_LICENSE_CONFIG_DIR = saved;
    }
  });
});

describe('configPaths', () => {
  it('names every file in the directory', () => {
    expect(configPaths('/c')).toEqual({
      dir: '/c',
      config: path.join('/c', 'config.json'),
      lock: path.join('/c', 'config.lock'),
      history: path.join('/c', 'history.jsonl'),
      cacheDir: path.join('/c', 'cache'),
    });
  });
});

describe('isValidProfileName', () => {
  it('accepts [A-Za-z0-9_.-]{1,64}', () => {
    for (const name of ['prod', 'a', 'EU-west_2.sandbox', 'x'.repeat(64), '.hidden']) {
      expect(isValidProfileName(name)).toBe(true);
    }
  });
  it('rejects anything else, and the names that are paths or prototype keys', () => {
    for (const name of ['', 'a b', 'a/b', 'é', 'x'.repeat(65), '.', '..', '__proto__']) {
      expect(isValidProfileName(name)).toBe(false);
    }
  });
});
