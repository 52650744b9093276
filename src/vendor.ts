// Heavy dependencies (undici, zod, conf, chalk, ora) loaded synchronously on first use, never at
// start-up. The build bundles each into dist/chunks/NAME.cjs and defines __VENDOR__; from the
// sources (tests, tsc) they come straight from node_modules.
import { createRequire } from 'node:module';

declare const __VENDOR__: boolean | undefined;

export type VendorName = 'undici' | 'zod' | 'conf' | 'chalk' | 'ora';

const bundled = typeof __VENDOR__ === 'boolean' && __VENDOR__;
// The CommonJS bundle has its own require (relative to dist/); the ES-module sources make one.
const load: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);
const loaded = new Map<VendorName, unknown>();

/** The module, loaded once. */
export function vendor<T>(name: VendorName): T {
  let module = loaded.get(name);
  if (module === undefined) {
    module = load(bundled ? `./chunks/${name}.cjs` : name);
    loaded.set(name, module);
  }
  return module as T;
}
