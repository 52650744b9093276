// Help topics: `msp-license help exit-codes | environment | cron`. Plain text, no dependencies.

import { HELP_TOPICS, type HelpTopicName } from './help-topic-names.js';

const EXIT_CODES = `Exit codes

  0    success (a dry run, an empty list, an already-assigned service included)
  1    failure not covered below (API error, unexpected response, unreadable config)
  2    usage or validation error: bad flag, unknown service or customer, missing scope,
       unassign without --yes when not interactive
  3    cancelled: you declined the confirmation
  4    authentication: no credentials, refresh failed, 401/403
  5    rate limited: 429 after retries, or the day's API budget is exhausted
  6    network: DNS, refused, TLS, timeout, after retries
  7    the wait ended with devices left unlicensed (stalled, e.g. not enough licenses)
  8    still pending when --timeout passed
  10   plan --check: the estate has drifted from the policy (one line per customer on stderr)
  130  interrupted (Ctrl-C); the history keeps what was sent
  129  stopped by SIGHUP (terminal or SSH session gone), 143 by SIGTERM: as Ctrl-C

For alerting from cron: 0 is fine; 7 means buy or free licenses; 8 means the job is still
running (check 'msp-license status' later); 4 means credentials need attention
('msp-license auth status'); 5 and 6 are usually transient (retry next run); 2 means the
script itself is wrong; 10 means reality differs from the licensing policy (plan --check).
`;

const ENVIRONMENT = `Environment

  MSP_LICENSE_PROFILE          profile to use (like --profile)
  MSP_LICENSE_CONFIG_DIR       where config, caches and history live
                               (default: $XDG_CONFIG_HOME/msp-license or ~/.config/msp-license)
  MSP_LICENSE_BASE_URL         gateway URL (like --base-url)
  MSP_LICENSE_ACCESS_TOKEN     use this access token as is, never refreshed (CI); with
                               MSP_LICENSE_BASE_URL no profile is needed at all
  MSP_LICENSE_CLIENT_ID        client id for refresh (overrides the profile)
  MSP_LICENSE_CLIENT_SECRET    client secret for refresh and login (overrides the profile)
  MSP_LICENSE_REQUEST_TIMEOUT  give up on one HTTP request after this long (like
                               --request-timeout; default 30s)
  NO_COLOR, FORCE_COLOR        colour control (NO_COLOR wins, on a terminal too)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies
  NODE_EXTRA_CA_CERTS          extra CA certificates (a TLS-inspecting proxy's CA)

Precedence: flag > environment > profile > default.

Example (CI, no stored profile):
  MSP_LICENSE_BASE_URL=https://apigw-eucentral3.central.arubanetworks.com \\
  MSP_LICENSE_ACCESS_TOKEN="$TOKEN" msp-license --no-input --json status --all-customers
`;

const CRON = `Running from cron

  Without a terminal msp-license never prompts, never shows a spinner and never colours.
  Data goes to stdout; progress, warnings and errors go to stderr, progress as lines that start
  with an ISO timestamp (2026-11-26T02:15:04Z waiting for the job: 1,200 / 5,000 devices, 24%).
  --quiet prints only errors (and lists or reports you asked for, never status lines or
  confirmations); --json prints one JSON document on stdout (and on failure one
  {"error":{...}} line on stderr). 'assign' goes ahead with its explicit scope flag;
  'unassign' needs --yes.

  cron runs with a bare environment: give the full path of msp-license (npm prefix -g, then
  bin/), and the profile and config directory explicitly.

  # m h dom mon dow  command
  MSP_LICENSE_CONFIG_DIR=/home/ops/.config/msp-license
  MSP_LICENSE_PROFILE=prod

  # Nightly: license new devices of every customer but two. flock -n skips a run while the
  # previous one still holds the lock (instead of piling up).
  15 2 * * *  flock -n /tmp/msp-license.lock /usr/local/bin/msp-license assign \\
                --services foundation_ap --exclude c1,c2 --wait --timeout 2h \\
                >>/var/log/msp-license.log 2>&1 || echo "msp-license exit $?" | mail -s msp-license ops@example.com

  # Weekly keep-alive: Central revokes a refresh token unused for 15 days.
  0 6 * * 1   /usr/local/bin/msp-license auth refresh --quiet >>/var/log/msp-license.log 2>&1

  A fuller script (lock, log, one alert per exit code): examples/cron-nightly.sh in the package.

  Logs: whatever you redirect (above: /var/log/msp-license.log; rotate it with logrotate).
  Every assign/unassign this machine sends is also recorded in the history file in the config
  directory (history.jsonl): 'msp-license history --since 1d' shows last night's run and how
  it ended (done, stalled, timeout, interrupted, failed).

  What each exit code means for an alert:
    0         fine (also a no-op: everything was already licensed)
    7         stalled: devices left unlicensed, usually out of licenses: buy or free some
    8         still running at --timeout: check 'msp-license status' later; raise --timeout
    4         credentials: run 'msp-license auth status'; log in again if revoked
    5, 6      rate limit or network: usually transient, the next run retries
    1         API error or unexpected answer: read the log
    2         the command line is wrong (unknown service or customer, missing scope)
    10        plan --check: drift from the policy file ('msp-license plan -f FILE' shows
              the jobs, 'apply' runs them)
    3, 130    cancelled or interrupted (a person; 129/143: SIGHUP/SIGTERM; the history
              keeps the job)
  With flock -n, a run skipped because the previous one still holds the lock exits 1 from
  flock itself; 'flock -n -E 75' gives it a code of its own.
`;

const TEXTS: Record<HelpTopicName, string> = {
  'exit-codes': EXIT_CODES,
  environment: ENVIRONMENT,
  cron: CRON,
};
const TOPICS: Record<string, string> = Object.fromEntries(
  HELP_TOPICS.flatMap((t) => [t.name, ...t.aliases].map((name) => [name, TEXTS[t.name]])),
);

export function helpTopic(topic: string): string | undefined {
  return TOPICS[topic.toLowerCase()];
}
