// The start-up fast path for `msp-license __complete ...`: completes from the precomputed command
// tree (spec.generated.ts) without loading commander or building the tree, so a TAB costs about
// a bare `node -e 0`. For src/main.ts to call before it imports the CLI:
//   if (process.argv[2] === '__complete') (await import('./completion/fast.js')).completeFromArgv(process.argv);
import { completeWithSpec, wordsFromArgv } from './complete.js';
import { COMPLETION_SPEC } from './spec.generated.js';

export function completeFromArgv(argv: string[] = process.argv): void {
  completeWithSpec(COMPLETION_SPEC, wordsFromArgv(argv));
}
