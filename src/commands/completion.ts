// `msp-license completion <shell>`: prints the script to source. The script itself only relays to
// the hidden `__complete` callback (src/completion/complete.ts), so it never goes stale.
import { completionScript, isShell, SHELLS } from '../completion/scripts.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

export async function run(ctx: Context, _options: unknown, shell: string): Promise<void> {
  const name = shell.toLowerCase();
  if (!isShell(name)) {
    throw new UsageError(`Unknown shell '${shell}'.`, { hint: `Supported shells: ${SHELLS.join(', ')}.` });
  }
  ctx.io.out(completionScript(name));
}
