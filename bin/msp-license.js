#!/usr/bin/env node
// The launcher, CommonJS on purpose: the commonest quick calls are answered here without
// starting the ES-module loader — `--version`, the shell-completion callback (a self-contained
// bundle that reads only the caches), and the root `--help` when its text is the one commander
// rendered at build time (80 columns: a pipe, or an 80-column terminal). All else: the CLI, a
// CommonJS bundle too (dist/cli.cjs), so no command starts the ES-module loader.
'use strict';
// Node >= 22.1 keeps compiled code on disk between runs: a free start-up win where it exists.
try {
  require('node:module').enableCompileCache?.();
} catch {}
const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;

function prerenderedHelp() {
  if (only !== '--help' && only !== '-h') return undefined;
  if ((process.stdout.isTTY ? process.stdout.columns : 80) !== 80) return undefined;
  try {
    return require('node:fs').readFileSync(`${__dirname}/../dist/help.txt`, 'utf8');
  } catch {
    return undefined;
  }
}

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

const help = prerenderedHelp();
if (args[0] === '__complete') {
  if (built('complete.cjs')) require('../dist/complete.cjs');
} else if (only === '--version' || only === '-V') {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (help !== undefined) {
  process.stdout.write(help);
} else if (built('main.js')) {
  require('../dist/cli.cjs').start();
}
