import { withFileLock } from '../config/lock.js';
import { configPaths } from '../config/paths.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { LogoutOptions } from '../flags.js';

export interface LogoutResult {
  profile: string;
  removed: boolean;
}

export async function run(ctx: Context, options: LogoutOptions): Promise<LogoutResult> {
  const store = ctx.store();
  const name = ctx.profileName();
  if (!name || !store.getProfile(name)) {
    throw new UsageError(name ? `No profile named '${name}'.` : 'No profile to log out of.', {
      hint: "'msp-license profiles' lists them.",
    });
  }
  // Under the token-refresh lock (src/central/auth.ts): a refresh running now writes its rotated
  // pair first and this then forgets it; unlocked, the refresh's write came after and logged the
  // profile back in.
  await withFileLock(
    configPaths(store.dir).lock,
    async () => {
      if (options.remove) store.removeProfile(name);
      else store.forgetSecrets(name);
    },
    { signal: ctx.abort.signal },
  );
  return { profile: name, removed: Boolean(options.remove) };
}

export function render(result: LogoutResult, ctx: Context): void {
  ctx.io.out(
    result.removed
      ? `Removed profile '${result.profile}'.`
      : `Forgot the secrets of profile '${result.profile}' (gateway and client id kept; 'msp-license login' to sign in again).`,
  );
}
