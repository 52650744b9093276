// The start-up fast path for `msp-license __complete ...`: completes from the precomputed command
// tree (spec.generated.ts) without loading commander or building the tree. Measured: a TAB then
// costs about a bare `node -e 0` when this code is ONE file (see standalone.ts); every extra
// ESM chunk file on the path costs a few ms more.
import { completeWithSpec, wordsFromArgv } from './complete.js';
import { COMPLETION_SPEC } from './spec.generated.js';

export function completeFromArgv(argv: string[] = process.argv): void {
  completeWithSpec(COMPLETION_SPEC, wordsFromArgv(argv));
}
