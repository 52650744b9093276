// Bundles the CLI into dist/: cli.cjs (the commander tree and every command, CommonJS: no
// ES-module loader at start-up; a command's code runs only when it is called), one file per heavy
// dependency in chunks/ (undici, zod, conf, chalk, ora, yaml: required through src/vendor.ts on first
// use, never at start-up), complete.cjs (the completion callback, no commander), help.json (the
// help texts at 80 columns), help-templates.json (the same texts as templates for any other width)
// and help.cjs (renders those: commander's lib/help.js alone); main.js and cli.js are small
// ES-module doors to cli.cjs. bin/msp-license.js serves complete.cjs, the help and --version
// itself, and requires cli.cjs for the rest.
// Dependencies are bundled, so the package installs with none.
// First it writes src/completion/spec.generated.ts (the command tree the completion fast path
// reads) from the commander tree, since the bundles embed it. That file is committed, because
// lint and typecheck read it before any build; `node scripts/build.mjs --check` only compares it
// and fails when it is stale (CI runs it on the fresh clone).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
const generator = new URL('generate-spec/', `${staging.href}/`);
await build({
  ...shared,
  minify: false,
  entryPoints: {
    cli: 'src/cli.ts',
    spec: 'src/completion/spec.ts',
    'help-topics': 'src/help-topic-names.ts',
    // The CLI's stdout and stderr (a descriptor on a pipe): the help templates are read from them.
    std: 'src/ui/std.ts',
  },
  outdir: generator.pathname,
  splitting: true,
  banner: requireBanner,
});
const { buildProgram, main } = await import(new URL('cli.js', generator).href);
const { specFromCommander, generatedSpecSource, GENERATED_SPEC_PATH } = await import(
  new URL('spec.js', generator).href
);
const { HELP_TOPICS } = await import(new URL('help-topics.js', generator).href);
const { std } = await import(new URL('std.js', generator).href);
const specFile = new URL(`../${GENERATED_SPEC_PATH}`, import.meta.url);
const tree = buildProgram();
const specSource = generatedSpecSource(specFromCommander(tree));
// Every visible command's path (['auth', 'status']…), for the prerendered help below.
const commandPaths = [];
const walk = (command, path) => {
  for (const child of command.commands) {
    if (child._hidden) continue;
    commandPaths.push([...path, child.name()]);
    walk(child, [...path, child.name()]);
  }
};
walk(tree, []);
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

// The CLI: one CommonJS bundle (a command's modules are initialised only when it runs). The heavy
// dependencies are not in it: an import of one outside src/vendor.ts fails the build.
const HEAVY = ['undici', 'zod', 'conf', 'chalk', 'ora', 'yaml'];
const heavyOnlyThroughVendor = {
  name: 'heavy-only-through-vendor',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${HEAVY.join('|')})(/|$)`) }, (resolved) => ({
      errors: [
        {
          text: `${resolved.path} is imported by ${resolved.importer}: load it with vendor() from src/vendor.ts (import type only), so that start-up never pays for it`,
        },
      ],
    }));
  },
};
// commander requires child_process (and with it net, dgram...) at load, for executable
// subcommands, which this CLI has none of: it is required when first used instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (resolved) =>
      resolved.importer.includes('/node_modules/commander/')
        ? { path: 'node:child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (loaded) => ({
      contents: `let m;const get=()=>(m??=require(${JSON.stringify(loaded.path)}));module.exports=new Proxy({},{get:(_,k)=>get()[k],has:(_,k)=>k in get(),ownKeys:()=>Reflect.ownKeys(get()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(get(),k);return d&&{...d,configurable:true}}});`,
      loader: 'js',
    }));
  },
};
// Node's own modules that most commands never touch (crypto, dns, readline, os, http, timers,
// module, tty: a pipe or a file is told apart without it, see src/ui/std.ts):
// required when first used. Each becomes a module of wrappers, one per function it exports, and
// a default export that forwards to the real module. fs and path too, though loaded anyway: as
// CommonJS modules imported by ES modules, each import of them would copy all their keys.
const LAZY_BUILTINS = [
  'crypto',
  'dns',
  'readline',
  'os',
  'http',
  'timers/promises',
  'module',
  'tty',
  'fs',
  'path',
];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const names = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter: names }, (resolved) => {
      const path = resolved.path.replace(/^(node:)?/, 'node:');
      // The wrapper's own require is the real module.
      if (resolved.namespace === 'lazy-builtin-esm') return { path, external: true };
      if (resolved.importer.includes('/node_modules/')) return undefined;
      return { path, namespace: 'lazy-builtin-esm' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin-esm' }, async (loaded) => {
      const real = await import(loaded.path);
      const module = real.default ?? real;
      const functions = Object.keys(module).filter(
        (key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'load' && typeof module[key] === 'function',
      );
      return {
        contents: [
          `let real;const load=()=>(real??=require(${JSON.stringify(loaded.path)}));`,
          ...functions.map((name) => `export function ${name}(...a){return load().${name}(...a)}`),
          'export default new Proxy({},{get:(_,k)=>load()[k],has:(_,k)=>k in load(),ownKeys:()=>Reflect.ownKeys(load()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(load(),k);return d&&{...d,configurable:true}}});',
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};
const cjs = {
  ...shared,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...shared.define, __VENDOR__: 'true', 'import.meta.url': '__filename' },
  plugins: [heavyOnlyThroughVendor, lazyChildProcess, lazyBuiltins],
};
await build({ ...cjs, entryPoints: { cli: 'src/cli.ts' }, outdir: staging.pathname });
// The quick lane (src/quick.ts), one bundle per command (dist/quick-services.cjs, …): each holds its
// own command's module and none of the others' (src/quick-commands.ts's other imports resolve to a
// module that refuses to run, and quick.ts declines their argv: __QUICK_ONLY__), so that a cached
// `services` reads, deserialises and runs no code of `assign`'s. bin/ picks one by its command word.
const QUICK_BUNDLES = [
  'services',
  'customers',
  'profiles',
  'history',
  'auth status',
  'completion',
  'assign',
  'unassign',
];
const quickSlug = (name) => name.replace(' ', '-');
for (const only of QUICK_BUNDLES) {
  const otherCommands = {
    name: 'other-quick-commands',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[\w-]+\.js$/ }, (resolved) => {
        const slug = resolved.path.slice('./commands/'.length, -'.js'.length);
        if (!resolved.importer.endsWith('quick-commands.ts') || slug === quickSlug(only)) return undefined;
        return { path: slug, namespace: 'other-quick-command' };
      });
      b.onLoad({ filter: /.*/, namespace: 'other-quick-command' }, (loaded) => ({
        contents: `export async function run() { throw new Error('${loaded.path} is not in the quick bundle of ${only}'); }`,
        loader: 'js',
      }));
    },
  };
  await build({
    ...cjs,
    entryPoints: { [`quick-${quickSlug(only)}`]: 'src/quick.ts' },
    outdir: staging.pathname,
    define: { ...cjs.define, __QUICK_ONLY__: JSON.stringify(only) },
    plugins: [...cjs.plugins, otherCommands],
  });
}
// undici requires Node modules at load that a request over HTTP/1.1 never uses: node:http2
// (with it tls, crypto, fs/promises, readline: ~5 ms on Node 20 and 22, 11-16 ms on Node 24) only
// for http2.connect() when a server negotiates h2, which msp-license never allows, and
// node:assert for its internal assert(value, message) checks. In its chunk, each is a stand-in:
// http2's protocol constants as this Node has them (the same on Node 20, 22 and 24; undici
// destructures them at load) and a connect() that requires the real module on its first call;
// an assert that returns when its value is truthy and otherwise calls the real one (which throws),
// with the real module's properties read through on use. Only imports from inside undici.
const http2Constants = createRequire(import.meta.url)('node:http2').constants;
const assertKeys = Object.keys(createRequire(import.meta.url)('node:assert'));
const UNDICI_LAZY = {
  'node:http2': [
    `const constants=Object.freeze(${JSON.stringify(http2Constants)});let real;`,
    "module.exports={constants,connect(...a){return(real??=require('node:http2')).connect(...a)}};",
  ].join(''),
  'node:assert': [
    "let real;const load=()=>(real??=require('node:assert'));",
    'function assert(value,message){if(arguments.length!==0&&value)return;return load().apply(this,arguments)}',
    `for(const k of ${JSON.stringify(assertKeys)})Object.defineProperty(assert,k,{get:()=>load()[k],enumerable:true});`,
    'module.exports=assert;',
  ].join(''),
};
const undiciLazyBuiltins = {
  name: 'undici-lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(http2|assert)$/ }, (resolved) =>
      resolved.importer.includes('/node_modules/undici/')
        ? { path: resolved.path.replace(/^(node:)?/, 'node:'), namespace: 'undici-lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'undici-lazy-builtin' }, (loaded) => ({
      contents: UNDICI_LAZY[loaded.path],
      loader: 'js',
    }));
  },
};
// zod's index exports its 64 locales (z.locales.fr()…), all bundled and run when its chunk is
// loaded: more than half of the chunk. msp-license uses none but English, the default zod sets
// itself (config(en()) at load): in the chunk, z.locales has `en` only (~2 ms less per load).
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (resolved) =>
      resolved.importer.includes('/node_modules/zod/')
        ? { path: join(resolved.resolveDir, '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (loaded) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(loaded.path),
      loader: 'js',
    }));
  },
};
const chunkPlugins = { undici: [undiciLazyBuiltins], zod: [zodEnglishOnly] };
// Each heavy dependency on its own, required by src/vendor.ts when first used.
for (const name of HEAVY) {
  const reexport =
    name === 'undici'
      ? readFileSync(new URL('vendor/undici.cjs', import.meta.url), 'utf8')
      : `export * from '${name}';\n${name === 'conf' || name === 'ora' ? `export { default } from '${name}';` : ''}`;
  await build({
    ...shared,
    format: 'cjs',
    stdin: { contents: reexport, resolveDir: process.cwd(), loader: 'js', sourcefile: `${name}.js` },
    outfile: `${staging.pathname}/chunks/${name}.cjs`,
    define: { ...shared.define, 'import.meta.url': '__filename' },
    plugins: chunkPlugins[name] ?? [],
  });
}
// V8's code cache of cli.cjs, made after the quick commands ran once in-process (against a
// throw-away config dir, output discarded), so that the functions they compile are in it: the
// commander tree, the runtime, the config and cache readers, the renderers. One per V8: this
// Node's and, when scripts/node-lines.sh has fetched them, the other Node lines'. bin/ compiles
// cli.cjs with it (no parsing of 250 kB at start-up). A cache made by another V8 is never used
// (its name carries the V8 version; V8 refuses a mismatch anyway), and it is made in the same
// staging dir as cli.cjs, so it never outlives its code.
const codeCache = `
const fs = require('node:fs'), os = require('node:os'), path = require('node:path'), vm = require('node:vm'), Module = require('node:module');
const [filename, finalDir] = process.argv.slice(1);
// A bundle's name in stack traces: where it will be once the staging dir becomes dist/ (Node 20's
// V8 names a script compiled from a code cache after the script the cache was made from).
const named = (file) => path.join(finalDir, path.relative(path.dirname(filename), file));
// A bundle compiled (its script kept for createCachedData) and run as require() would run it.
const compiled = (file) => {
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: named(file) });
  const m = new Module(file, module);
  m.filename = file;
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
  return { script, exports: m.exports };
};
const writeCache = (file, script) => fs.writeFileSync(file + '.' + process.versions.v8 + '.cache', script.createCachedData());
const cli = compiled(filename);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-license-code-cache-'));
const now = Date.now(), iso = new Date(now).toISOString(), baseUrl = 'https://127.0.0.1:9';
const profile = { baseUrl, clientId: 'x', accessToken: 'x', accessTokenExpiresAt: new Date(now + 864e5).toISOString(), refreshToken: 'x', refreshTokenIssuedAt: iso, createdAt: iso, updatedAt: iso };
fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ version: 1, defaultProfile: 'p', profiles: { p: profile } }), { mode: 0o600 });
fs.mkdirSync(path.join(dir, 'cache', 'p'), { recursive: true, mode: 0o700 });
fs.chmodSync(path.join(dir, 'cache'), 0o700);
const cache = (name, data) => fs.writeFileSync(path.join(dir, 'cache', 'p', name + '.json'), JSON.stringify({ fetchedAt: now, baseUrl, data }), { mode: 0o600 });
cache('services', [{ name: 'foundation_ap', category: 'foundation', deviceType: 'IAP', central: true }]);
// Written as a fetch writes it, with its companions: more customers than get device counts, so
// that \`customers\` takes the path it takes in use (the table file; --json: the list, no call).
const customers = Array.from({ length: 12 }, (_, i) => ({ id: 'c' + i, name: 'Customer ' + i, groupName: 'default', provisionStatus: 'provisioned' }));
cli.exports.writeCache(dir, 'p', 'customers', baseUrl, customers);
process.env.MSP_LICENSE_CONFIG_DIR = dir;
process.env.NO_COLOR = '1';
const runs = [['services'], ['customers'], ['customers', '--json'], ['profiles'], ['history'], ['auth', 'status', '--offline'], ['completion', 'bash'], ['assign', '--bogus'], ['assign', '-s', 'foundation_ap'], ['unassign', '-s', 'foundation_ap'], ['assign', '--help'], ['help', 'cron']];
(async () => {
  for (const argv of runs) await cli.exports.main(['node', 'msp-license', ...argv]);
  writeCache(filename, cli.script);
  // Each quick-lane bundle, the same way, after the runs of its own command.
  for (const only of ${JSON.stringify(QUICK_BUNDLES)}) {
    const file = path.join(path.dirname(filename), 'quick-' + only.replace(' ', '-') + '.cjs');
    const quick = compiled(file);
    for (const argv of runs.filter((argv) => argv.slice(0, only.split(' ').length).join(' ') === only))
      await quick.exports.runQuick(argv);
    writeCache(file, quick.script);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // Each heavy dependency's own, made after it was loaded (its start-up is most of its cost).
  for (const name of ${JSON.stringify(HEAVY)}) {
    const file = path.join(path.dirname(filename), 'chunks', name + '.cjs');
    writeCache(file, compiled(file).script);
  }
  process.exitCode = 0;
})();
`;
const lines = new URL('../.cache/node-lines/', import.meta.url);
const nodes = [
  process.execPath,
  ...(existsSync(lines) ? readdirSync(lines).map((dir) => `${lines.pathname}${dir}/package/bin/node`) : []),
].filter((node) => existsSync(node));
for (const node of new Set(nodes)) {
  execFileSync(node, ['-e', codeCache, `${staging.pathname}/cli.cjs`, out.pathname], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: 'ignore',
  });
}
// ES-module doors, for whoever runs dist/main.js or imports dist/cli.js.
writeFileSync(
  `${staging.pathname}/main.js`,
  "// The CLI (bin/msp-license.js requires cli.cjs directly).\nimport{createRequire}from'node:module';createRequire(import.meta.url)('./cli.cjs').start();\n",
);
writeFileSync(
  `${staging.pathname}/cli.js`,
  "import{createRequire}from'node:module';const cli=createRequire(import.meta.url)('./cli.cjs');export const{VERSION,buildProgram,main,start,setDispatcher,usageErrorOf}=cli;\n",
);
// The completion callback: one self-contained file (no commander, no chunks) reading the caches.
await build({
  ...shared,
  format: 'cjs',
  entryPoints: { complete: 'src/completion/standalone.ts' },
  outdir: staging.pathname,
  outExtension: { '.js': '.cjs' },
  // Node's modules as the other bundles take them: esbuild's interop would otherwise copy each
  // one's properties (node:fs four times: ~0.5 ms at every callback).
  plugins: [lazyBuiltins],
});
// Help: the root's, every command's (`CMD --help`, `CMD -h`, `help CMD`) and every topic's
// (`help TOPIC`), for bin/ to serve for exactly these argv without loading commander. Each text
// twice: as the built CLI prints it at 80 columns (a pipe, or an 80-column terminal; help.json,
// served as is), and as a template for any other width (help-templates.json; src/help-render.ts:
// the text with the descriptions commander wraps left unwrapped), rendered by dist/help.cjs, which
// bundles commander's lib/help.js alone so that the wrapping is commander's own Help#boxWrap.
const helpArgv = [['--help'], ['-h'], ['help']];
for (const path of commandPaths) helpArgv.push([...path, '--help'], [...path, '-h'], ['help', ...path]);
for (const topic of HELP_TOPICS)
  for (const name of [topic.name, ...topic.aliases]) helpArgv.push(['help', name]);
const commanderHelp = join(dirname(createRequire(import.meta.url).resolve('commander')), 'lib', 'help.js');
await build({
  ...shared,
  format: 'cjs',
  entryPoints: { help: 'src/help-render.ts' },
  outdir: staging.pathname,
  outExtension: { '.js': '.cjs' },
  plugins: [
    {
      name: 'commander-help-only',
      setup: (b) => b.onResolve({ filter: /^commander$/ }, () => ({ path: commanderHelp })),
    },
  ],
});
const { renderHelp } = createRequire(import.meta.url)(`${staging.pathname}/help.cjs`);
// The templates: the CLI run in-process (the generator's bundle) for each argv, with every Help it
// creates so wide that nothing else changes and recording each boxWrap(text, width) call as a
// mark in the text; k = the columns of the line that are not the text's (helpWidth - width).
const MARK = '\u0000';
const WIDE = 1_000_000;
const wrapped = [];
let minWidthToWrap;
const Command = tree.constructor;
const createHelp = Command.prototype.createHelp;
Command.prototype.createHelp = function () {
  const help = createHelp.call(this);
  help.helpWidth = WIDE;
  help.boxWrap = function (text, width) {
    minWidthToWrap ??= this.minWidthToWrap;
    if (minWidthToWrap !== this.minWidthToWrap)
      throw new Error('help: commands with different minWidthToWrap: help-templates.json keeps one');
    return `${MARK}${wrapped.push([WIDE - width, text]) - 1}${MARK}`;
  };
  return help;
};
const templateOf = async (argv) => {
  // What the CLI writes, caught where it writes it.
  const streams = std();
  const write = { out: streams.stdout.write, err: streams.stderr.write };
  let out = '';
  let err = '';
  streams.stdout.write = (chunk) => {
    out += chunk;
    return true;
  };
  streams.stderr.write = (chunk) => {
    err += chunk;
    return true;
  };
  let code;
  try {
    code = await main(['node', 'msp-license', ...argv]);
  } finally {
    streams.stdout.write = write.out;
    streams.stderr.write = write.err;
  }
  if (code !== 0 || err) throw new Error(`help for '${argv.join(' ')}': exit ${code}: ${err}`);
  if (out.includes('\x1b')) throw new Error(`help for '${argv.join(' ')}' has escape codes (colours)`);
  return out
    .split(MARK)
    .map((piece, i) => (i % 2 ? wrapped[Number(piece)] : piece))
    .filter((part) => part !== '');
};
const helpTemplates = [];
for (const argv of helpArgv) helpTemplates.push(await templateOf(argv));
Command.prototype.createHelp = createHelp;
const render = (argv) =>
  new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [`${staging.pathname}/main.js`, ...argv],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) =>
        error || stderr
          ? reject(new Error(`help for '${argv.join(' ')}': ${stderr || error}`))
          : resolve(stdout),
    ),
  );
const rendered = [];
for (let i = 0; i < helpArgv.length; i += 8)
  rendered.push(...(await Promise.all(helpArgv.slice(i, i + 8).map(render))));
// One entry per distinct template; its text at 80 columns must be what the CLI printed there.
const texts = [];
const templates = [];
const seen = new Map();
const byArgv = {};
helpArgv.forEach((argv, i) => {
  const template = helpTemplates[i];
  if (renderHelp(template, 80, minWidthToWrap) !== rendered[i])
    throw new Error(`help for '${argv.join(' ')}': its template at 80 columns is not what the CLI prints`);
  const key = JSON.stringify(template);
  if (!seen.has(key)) {
    seen.set(key, texts.length);
    texts.push(rendered[i]);
    templates.push(template);
  }
  byArgv[argv.join(' ')] = seen.get(key);
});
// Two files, so that the 80-column path reads no more than it did before the templates.
writeFileSync(`${staging.pathname}/help.json`, JSON.stringify({ texts, argv: byArgv }));
writeFileSync(`${staging.pathname}/help-templates.json`, JSON.stringify({ templates, minWidthToWrap }));
// help.cjs's V8 code cache, one per V8 as cli.cjs's (made after every template was rendered at a
// narrow, a middle and a wide width, so renderHelp and boxWrap are compiled in it): bin/ requires
// help.cjs about 0.3 ms (Node 20) to 0.5 ms (Node 24) faster with it.
const helpCodeCache = `
const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
const [filename, templatesFile, finalName] = process.argv.slice(1);
// Named where it will be (see codeCache's named()).
const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename: finalName });
const m = { exports: {} };
script.runInThisContext().call(m.exports, m.exports, require, m, filename, require('node:path').dirname(filename));
const { templates, minWidthToWrap } = JSON.parse(fs.readFileSync(templatesFile, 'utf8'));
for (const template of templates) for (const width of [10, 60, 120]) m.exports.renderHelp(template, width, minWidthToWrap);
fs.writeFileSync(filename + '.' + process.versions.v8 + '.cache', script.createCachedData());
`;
for (const node of new Set(nodes)) {
  execFileSync(
    node,
    [
      '-e',
      helpCodeCache,
      `${staging.pathname}/help.cjs`,
      `${staging.pathname}/help-templates.json`,
      `${out.pathname}/help.cjs`,
    ],
    {
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'ignore',
    },
  );
}
rmSync(generator, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
