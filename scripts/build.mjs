// Bundles the CLI into dist/: main.js (the entry) and cli.js (the commander tree), a chunk per
// command (undici, zod, ora and conf live there, loaded when that command runs), complete.cjs (the
// completion callback, no commander) and help.txt (the root help); bin/msp-license.js serves the
// last two and --version without starting the ES-module loader.
// Dependencies are bundled, so the package installs with none.
// First it writes src/completion/spec.generated.ts (the command tree the completion fast path
// reads) from the commander tree, since the bundles embed it. That file is committed, because
// lint and typecheck read it before any build; `node scripts/build.mjs --check` only compares it
// and fails when it is stale (CI runs it on the fresh clone).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a test run reading dist/ never sees it half-written.
const out = new URL('../dist', import.meta.url);
const staging = new URL(`../dist.tmp-${process.pid}`, import.meta.url);
rmSync(staging, { recursive: true, force: true });
const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
// CJS dependencies bundled into ESM call require() for Node built-ins.
const requireBanner = {
  js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
};

// The completion spec: the commander tree and the spec module bundled (each command stays a chunk
// that is never loaded), then walked here.
const generator = new URL('generate-spec/', staging);
await build({
  ...shared,
  minify: false,
  entryPoints: { cli: 'src/cli.ts', spec: 'src/completion/spec.ts' },
  outdir: generator.pathname,
  splitting: true,
  banner: requireBanner,
});
const { buildProgram } = await import(new URL('cli.js', generator).href);
const { specFromCommander, generatedSpecSource, GENERATED_SPEC_PATH } = await import(
  new URL('spec.js', generator).href
);
rmSync(generator, { recursive: true, force: true });
const specFile = new URL(`../${GENERATED_SPEC_PATH}`, import.meta.url);
const specSource = generatedSpecSource(specFromCommander(buildProgram()));
const committed = existsSync(specFile) ? readFileSync(specFile, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  rmSync(staging, { recursive: true, force: true });
  if (committed !== specSource) {
    console.error(
      `${GENERATED_SPEC_PATH} does not match the commander tree in src/cli.ts: run \`npm run build\` and commit it.`,
    );
    process.exit(1);
  }
  process.exit(0);
}
if (committed !== specSource) {
  writeFileSync(specFile, specSource);
  console.error(`build: ${GENERATED_SPEC_PATH} regenerated from src/cli.ts (commit it)`);
}

// The CLI: the entry, the commander tree, and every command in chunks it import()s.
await build({
  ...shared,
  entryPoints: { main: 'src/main.ts', cli: 'src/cli.ts' },
  outdir: staging.pathname,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: requireBanner,
});
// The completion callback: one self-contained file (no commander, no chunks) reading the caches.
await build({
  ...shared,
  format: 'cjs',
  entryPoints: { complete: 'src/completion/standalone.ts' },
  outdir: staging.pathname,
  outExtension: { '.js': '.cjs' },
});
// The root --help as commander renders it at 80 columns, served by bin/ without loading commander.
// (`help` goes through commander; with stdout a pipe it renders at 80 columns.)
const help = execFileSync(process.execPath, [`${staging.pathname}/main.js`, 'help'], {
  encoding: 'utf8',
  env: { PATH: process.env.PATH ?? '' },
});
writeFileSync(`${staging.pathname}/help.txt`, help);
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
