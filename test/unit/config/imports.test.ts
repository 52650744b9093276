// Completion and start-up load paths, lock, cache and history: they must pull in no package
// (conf and zod cost start-up time), only Node built-ins and our own import-free modules.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('light config modules', () => {
  it.each(['paths', 'lock', 'cache', 'history'])('%s.ts imports no package', (module) => {
    const result = buildSync({
      entryPoints: [path.join(root, 'src/config', `${module}.ts`)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs).sort();
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    // cache.ts also writes the completion candidates (completion/candidates.ts): the same
    // import-free engine the completion callback runs; and the customers table (ui/customers-table.ts,
    // with the import-free table and width helpers).
    for (const input of inputs)
      expect(input).toMatch(
        /^src\/(config\/(paths|lock|cache|history|fs-private)|core\/(json|text)|errors|completion\/(candidates|engine)|ui\/(sanitize|customers-table|format|width)|help-topic-names)\.ts$/,
      );
  });
});
