// Whether one output stream gets colour: the rule shared by the IO (per stream) and by an error
// reported before there is an IO. Only a type import: it loads on the start-up path.
import type { GlobalOptions } from '../globals.js';

/**
 * Colour for one stream. NO_COLOR (any non-empty value), --no-color and --json win; FORCE_COLOR=1+
 * turns colour on even in a pipe; TERM=dumb turns it off; otherwise the stream being a terminal.
 */
export function decideColor(globals: GlobalOptions, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (globals.color === false || globals.json) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
