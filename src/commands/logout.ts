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
  if (options.remove) store.removeProfile(name);
  else store.forgetSecrets(name);
  return { profile: name, removed: Boolean(options.remove) };
}

export function render(result: LogoutResult, ctx: Context): void {
  ctx.io.out(
    result.removed
      ? `Removed profile '${result.profile}'.`
      : `Forgot the secrets of profile '${result.profile}' (gateway and client id kept; 'msp-license login' to sign in again).`,
  );
}
