#!/usr/bin/env node
// The launcher, CommonJS on purpose: the commonest quick calls are answered here without
// starting the ES-module loader — `--version`, the shell-completion callback (a self-contained
// bundle that reads only the caches), and help (`--help`, `CMD --help`, `help TOPIC`…) at any
// width from what the build rendered. Then the quick lane (dist/quick-NAME.cjs: services, customers,
// profiles, history, auth status, completion SHELL, assign, unassign, without commander) for the
// argv it reads exactly; all else: the CLI, a CommonJS bundle too (dist/cli.cjs), so no command
// starts the ES-module loader.
'use strict';
/** Node >= 22.1 keeps compiled code on disk between runs: a start-up win for the bundles. */
function compileCache() {
  try {
    require('node:module').enableCompileCache?.();
  } catch {}
}
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;

/**
 * Help as the CLI renders it, for the argv that print exactly that (`--help`, `CMD --help`,
 * `CMD -h`, `help CMD`, `help TOPIC`), from dist/help.json; undefined for anything else. At
 * commander's width: the terminal's columns on a terminal, else 80. At 80 columns (a pipe, or an
 * 80-column terminal) the text the build rendered; at any other, its template rendered.
 */
function prerenderedHelp() {
  const last = args[args.length - 1];
  if (args.length === 0 || args.length > 4) return undefined;
  if (last !== '--help' && last !== '-h' && args[0] !== 'help') return undefined;
  // One word holding a space ('auth status') is no command word to commander: it decides.
  if (args.some((arg) => arg.includes(' '))) return undefined;
  try {
    const help = JSON.parse(require('node:fs').readFileSync(`${__dirname}/../dist/help.json`, 'utf8'));
    const index = Object.hasOwn(help.argv, args.join(' ')) ? help.argv[args.join(' ')] : undefined;
    if (index === undefined) return undefined;
    const width = (stdoutIsTerminal() ? process.stdout.columns : undefined) ?? 80;
    return width === 80 ? help.texts[index] : helpAtWidth(help, index, width);
  } catch {
    return undefined;
  }
}

/**
 * Help at a width other than 80: its template (dist/help-templates.json) wrapped by dist/help.cjs
 * (commander's own Help#boxWrap, src/help-render.ts); a text with nothing to wrap (a help topic)
 * is the same at every width.
 */
function helpAtWidth(help, index, width) {
  const { templates, minWidthToWrap } = JSON.parse(
    require('node:fs').readFileSync(`${__dirname}/../dist/help-templates.json`, 'utf8'),
  );
  const template = templates[index];
  if (template.every((part) => typeof part === 'string')) return help.texts[index];
  return load('help.cjs').renderHelp(template, width, minWidthToWrap);
}

/**
 * A bundle of dist/ (cli.cjs, quick-NAME.cjs, help.cjs), compiled with the V8 code cache the build
 * made for this Node's V8 when there is one (NAME.V8VERSION.cache: no parsing of the bundle at
 * start-up), else as any module (with Node's own compile cache where it exists). Loaded as
 * require() would: same module wrapper, same require relative to dist/.
 */
function load(name) {
  const fs = require('node:fs');
  const path = require('node:path');
  const filename = path.join(__dirname, '..', 'dist', name);
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${filename}.${process.versions.v8}.cache`);
  } catch {
    compileCache();
    return require(filename);
  }
  // The Module class without loading node:module (a cost of its own on Node 22+).
  const Module = module.constructor;
  const vm = require('node:vm');
  const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename, cachedData });
  const loaded = new Module(filename, module);
  loaded.filename = filename;
  loaded.paths = Module._nodeModulePaths(path.dirname(filename));
  require.cache[filename] = loaded;
  script
    .runInThisContext()
    .call(
      loaded.exports,
      loaded.exports,
      Module.createRequire(filename),
      loaded,
      filename,
      path.dirname(filename),
    );
  loaded.loaded = true;
  return loaded.exports;
}

/**
 * The quick lane's bundles (dist/quick-NAME.cjs, one per command of src/quick-commands.ts; a test
 * keeps them equal) by the command's first word: argv holding none of them loads none.
 */
const QUICK_BUNDLES = {
  services: 'services',
  customers: 'customers',
  profiles: 'profiles',
  history: 'history',
  auth: 'auth-status',
  completion: 'completion',
  assign: 'assign',
  unassign: 'unassign',
};

/** A clone that was never built has no dist/: say how to build it, not a module-loader stack. */
function built(file) {
  if (require('node:fs').existsSync(`${__dirname}/../dist/${file}`)) return true;
  if (args[0] !== '__complete') {
    const root = require('node:path').resolve(__dirname, '..');
    process.stderr.write(
      `Error: msp-license is not built (${root}/dist/${file} is missing).\n  Run 'npm ci && npm run build' in ${root} first.\n`,
    );
  }
  process.exitCode = 1;
  return false;
}

/**
 * Whether stdout is a terminal. A pipe, a file or /dev/null is told by fstat: asking process.stdout
 * would make its stream (net, stream: milliseconds) for one write (as src/ui/std.ts does).
 */
function stdoutIsTerminal() {
  const fs = require('node:fs');
  try {
    const stat = fs.fstatSync(1);
    if (!stat.isCharacterDevice() || stat.rdev === devNullRdev(fs)) return false;
  } catch {
    return false;
  }
  return require('node:tty').isatty(1);
}

/** /dev/null's device number; -1 where there is none (a minimal chroot): isatty decides then. */
function devNullRdev(fs) {
  try {
    return fs.statSync('/dev/null').rdev;
  } catch {
    return -1;
  }
}

/**
 * `text` on stdout: a terminal through Node's stream; a pipe or a file straight to the descriptor
 * (a full non-blocking pipe waited on; a reader gone, EPIPE, ends it quietly like `| head`).
 */
function print(text) {
  if (stdoutIsTerminal()) {
    process.stdout.write(text);
    return;
  }
  const fs = require('node:fs');
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(1, bytes, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

const help = prerenderedHelp();
if (args[0] === '__complete') {
  if (built('complete.cjs')) {
    compileCache();
    require('../dist/complete.cjs');
  }
} else if (only === '--version' || only === '-V') {
  print(`${require('../package.json').version}\n`);
} else if (help !== undefined) {
  print(help);
} else if (built('main.js')) {
  const word = args.find((arg) => Object.hasOwn(QUICK_BUNDLES, arg));
  if (!(word && load(`quick-${QUICK_BUNDLES[word]}.cjs`).quick(args))) load('cli.cjs').start();
}
