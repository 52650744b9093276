// Bundles src/cli.ts into dist/ with code splitting: the entry holds commander and the command
// tree only; every command's module (and undici, zod, ora, conf) lands in a chunk that is
// import()ed when that command runs. Dependencies are bundled, so the package installs with none.
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a test run reading dist/ never sees it half-written.
const out = new URL('../dist', import.meta.url);
const staging = new URL(`../dist.tmp-${process.pid}`, import.meta.url);
rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/main.ts' },
  outdir: staging.pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // CJS dependencies bundled into ESM call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
