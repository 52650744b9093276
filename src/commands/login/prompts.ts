// login on a terminal with no credential flag: asks for everything (a typo in the cluster asks
// again; the secret hidden; the Download Token JSON pasted, or username and password).
import { CLUSTERS } from '../../central/clusters.js';
import { checkBaseUrl } from '../../central/url.js';
import type { Profile } from '../../config/store.js';
import type { Context } from '../../context.js';
import { CliError, UsageError } from '../../errors.js';
import { ask, askHidden } from '../../ui/prompt.js';
import type { LoginOptions } from '../login.js';
import { clusterUrl, fromDownload, loginWithPassword, type Tokens } from './tokens.js';

export async function interactiveAnswers(ctx: Context, options: LoginOptions, existing: Profile | undefined) {
  const { io } = ctx;
  let baseUrl = options.baseUrl ?? (options.cluster ? clusterUrl(options.cluster) : existing?.baseUrl);
  if (!baseUrl) {
    const names = Object.keys(CLUSTERS);
    io.streams.stderr.write(`Clusters: ${names.join(', ')}\n`);
    // A typo asks again (three tries): nothing has been typed that would be lost.
    for (let attempt = 1; !baseUrl; attempt++) {
      const answer = (await ask(io, 'Cluster name or gateway URL: ')).trim();
      try {
        baseUrl = /^https?:\/\//.test(answer) ? checkBaseUrl(answer) : clusterUrl(answer);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof CliError)) throw error;
        io.streams.stderr.write(`${error.message} ${error.hint ?? ''}\n`);
      }
    }
  }
  const clientId =
    options.clientId ??
    ctx.env.MSP_LICENSE_CLIENT_ID ??
    (existing?.clientId || (await ask(io, 'Client id: ')).trim());
  let clientSecret = ctx.env.MSP_LICENSE_CLIENT_SECRET;
  // An empty answer keeps the stored secret; with none stored it asks again (three tries).
  for (let attempt = 1; !clientSecret; attempt++) {
    const prompt = existing?.clientSecret
      ? 'Client secret (hidden; Enter keeps the stored one): '
      : 'Client secret (hidden): ';
    clientSecret = (await askHidden(io, prompt)).trim() || existing?.clientSecret;
    if (clientSecret) break;
    if (attempt >= 3)
      throw new UsageError('No client secret given.', {
        hint: "Central's API Gateway → System Apps & Tokens shows it.",
      });
    io.streams.stderr.write('The client secret is required (the tokens cannot be refreshed without it).\n');
  }
  io.streams.stderr.write(
    "Paste the token JSON from Central's Download Token dialog and press Enter twice,\nor just press Enter to log in with username and password (non-SSO accounts).\n",
  );
  let pasted = '';
  for (;;) {
    const line = await ask(io, '');
    if (!line.trim()) break;
    pasted += `${line}\n`;
    try {
      JSON.parse(pasted);
      break;
    } catch {
      // keep reading until the paste is complete JSON
    }
  }
  let tokens: Tokens | undefined;
  if (pasted.trim()) tokens = fromDownload(pasted, 'the pasted token');
  else {
    const username = (await ask(io, 'Username: ')).trim();
    const password = await askHidden(io, 'Password (hidden): ');
    const customerId = options.customerId ?? (await ask(io, 'MSP customer id: ')).trim();
    tokens = await loginWithPassword(
      checkBaseUrl(baseUrl),
      clientId,
      clientSecret,
      username,
      password,
      customerId,
      ctx.httpOptions(),
    );
  }
  return { baseUrl, clientId, clientSecret, tokens };
}
