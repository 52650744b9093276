// Heavy dependencies (undici, zod, conf, chalk, ora, yaml) loaded synchronously on first use, never at
// start-up. The build bundles each into dist/chunks/NAME.cjs and defines __VENDOR__; from the
// sources (tests, tsc) they come straight from node_modules.
import { createRequire } from 'node:module';

declare const __VENDOR__: boolean | undefined;

export type VendorName = 'undici' | 'zod' | 'conf' | 'chalk' | 'ora' | 'yaml';

const bundled = typeof __VENDOR__ === 'boolean' && __VENDOR__;
// The CommonJS bundle has its own require (relative to dist/); the ES-module sources make one.
const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);
const loaded = new Map<VendorName, unknown>();

/** The module, loaded once. */
export function vendor<T>(name: VendorName): T {
  let value = loaded.get(name);
  if (value === undefined) {
    value = bundled ? requireChunk(name) : load(name);
    loaded.set(name, value);
  }
  return value as T;
}

interface ModuleClass {
  new (id: string, parent: unknown): ModuleInstance;
  wrap(source: string): string;
  createRequire(filename: string): NodeJS.Require;
  _nodeModulePaths(dir: string): string[];
}
interface ModuleInstance {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
}
declare const __dirname: string;
declare const module: { constructor: ModuleClass };

/**
 * dist/chunks/NAME.cjs as require() loads it, compiled with the V8 code cache the build made for
 * this Node's V8 when there is one (as bin/ loads cli.cjs), else with Node's compile cache where
 * it exists: a dependency of half a megabyte is not parsed again on every run.
 */
function requireChunk(name: VendorName): unknown {
  const fs = load('node:fs') as typeof import('node:fs');
  const dir = `${__dirname}/chunks`;
  const filename = `${dir}/${name}.cjs`;
  let cachedData: Buffer;
  try {
    cachedData = fs.readFileSync(`${filename}.${process.versions.v8}.cache`);
  } catch {
    (load('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    return load(filename);
  }
  const vm = load('node:vm') as typeof import('node:vm');
  const Module = module.constructor;
  const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename, cachedData });
  const chunk = new Module(filename, module);
  chunk.filename = filename;
  chunk.paths = Module._nodeModulePaths(dir);
  load.cache[filename] = chunk as unknown as NodeJS.Module;
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    chunk.exports,
    chunk.exports,
    Module.createRequire(filename),
    chunk,
    filename,
    dir,
  );
  chunk.loaded = true;
  return chunk.exports;
}
