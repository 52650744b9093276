// Entry point of a self-contained `dist/complete.cjs` (one CommonJS file, no chunks, no
// commander): bin/msp-license.js requires it when argv[2] is `__complete`.
import { completeFromArgv } from './fast.js';

completeFromArgv(process.argv);
