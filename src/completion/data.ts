// Dynamic completion values, from local files only: config.json (profile names, read with plain
// JSON.parse, not conf) and the services/customers caches. Never the network, never a prompt;
// anything missing or unreadable is simply no candidates.
import fs from 'node:fs';
import { CLUSTERS } from '../central/clusters.js';
import { readCache, readCandidates } from '../config/cache.js';
import { notRegular, unsafeOwnership } from '../config/fs-private.js';
import { configDir, configPaths, isValidProfileName } from '../config/paths.js';
import { isRecord } from '../core/json.js';
import { customerEntries, cachedText as text } from './candidates.js';
import type { Candidate, CompletionData, CustomerEntry, ServiceEntry } from './engine.js';

interface ConfigFile {
  defaultProfile?: unknown;
  profiles?: unknown;
}

export function createCompletionData(env: NodeJS.ProcessEnv): CompletionData {
  const dir = configDir(env);
  let config: { defaultProfile?: string; profiles: Record<string, unknown> } | undefined;

  const readConfig = () => {
    if (config) return config;
    config = { profiles: {} };
    try {
      const file = configPaths(dir).config;
      // The same refusals as the store: a symlink, or a dir or file someone else owns or can write.
      if (notRegular(file) || unsafeOwnership(dir, 'directory') || unsafeOwnership(file, 'file'))
        return config;
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as ConfigFile;
      if (isRecord(raw)) {
        config = {
          defaultProfile: text(raw.defaultProfile),
          profiles: isRecord(raw.profiles) ? raw.profiles : {},
        };
      }
    } catch {
      // no config yet, or unreadable: no profiles
    }
    return config;
  };

  /** --profile in the words, else MSP_LICENSE_PROFILE, else the default profile, else the only one. */
  const profileFor = (flag: string | undefined): string | undefined => {
    const chosen = text(flag) ?? text(env.MSP_LICENSE_PROFILE);
    if (chosen) return isValidProfileName(chosen) ? chosen : undefined;
    const { defaultProfile, profiles } = readConfig();
    const names = Object.keys(profiles);
    const name = defaultProfile ?? (names.length === 1 ? names[0] : undefined);
    return name && isValidProfileName(name) ? name : undefined;
  };

  const cached = (flag: string | undefined, name: string): unknown[] => {
    const profile = profileFor(flag);
    if (!profile) return [];
    const data = readCache<unknown>(dir, profile, name)?.data;
    return Array.isArray(data) ? data : [];
  };

  return {
    profiles(): Candidate[] {
      const { defaultProfile, profiles } = readConfig();
      return Object.entries(profiles).map(([name, profile]) => {
        const where = isRecord(profile) ? (text(profile.cluster) ?? text(profile.baseUrl)) : undefined;
        const description = [where, name === defaultProfile ? '(default)' : undefined]
          .filter(Boolean)
          .join(' ');
        return description ? { value: name, description } : { value: name };
      });
    },

    clusters(): Candidate[] {
      return Object.entries(CLUSTERS).map(([name, url]) => ({ value: name, description: url }));
    },

    services(flag): ServiceEntry[] {
      const result: ServiceEntry[] = [];
      for (const entry of cached(flag, 'services')) {
        if (!isRecord(entry) || entry.central === false) continue;
        const name = text(entry.name);
        if (!name) continue;
        result.push({
          name,
          displayName: text(entry.displayName),
          category: text(entry.category),
          deviceType: text(entry.deviceType),
        });
      }
      return result;
    },

    customers(flag): CustomerEntry[] {
      return customerEntries(cached(flag, 'customers'));
    },

    customerLines(flag): string | undefined {
      const profile = profileFor(flag);
      return profile ? readCandidates(dir, profile, 'customers') : undefined;
    },
  };
}
