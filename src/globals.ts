/** The global options as the dispatcher hands them over (`--no-color` → color: false); defined in flags.ts. */
export type { GlobalOptions } from './flags.js';
