// Help topics: `msp-license help exit-codes | environment | cron`. Plain text, no dependencies.

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
  130  interrupted (Ctrl-C); the history keeps what was sent

For alerting from cron: 0 is fine; 7 means buy or free licenses; 8 means the job is still
running (check 'msp-license status' later); 4 means credentials need attention
('msp-license auth status'); 5 and 6 are usually transient (retry next run); 2 means the
script itself is wrong.
`;

const ENVIRONMENT = `Environment

  MSP_LICENSE_PROFILE          profile to use (like --profile)
  MSP_LICENSE_CONFIG_DIR       where config, caches and history live
                               (default: $XDG_CONFIG_HOME/msp-license or ~/.config/msp-license)
  MSP_LICENSE_BASE_URL         gateway URL (like --base-url)
  MSP_LICENSE_ACCESS_TOKEN     use this access token as is, never refreshed (CI)
  MSP_LICENSE_CLIENT_ID        client id for refresh (overrides the profile)
  MSP_LICENSE_CLIENT_SECRET    client secret for refresh and login (overrides the profile)
  NO_COLOR, FORCE_COLOR        colour control (NO_COLOR wins)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies
  NODE_EXTRA_CA_CERTS          extra CA certificates (a TLS-inspecting proxy's CA)

Precedence: flag > environment > profile > default.
`;

const CRON = `Running from cron

  Without a terminal msp-license never prompts, never shows a spinner and never colours;
  progress goes to stderr as timestamped lines, data to stdout. 'assign' goes ahead with its
  explicit scope flag; 'unassign' needs --yes.

  # m h dom mon dow  command
  # Nightly: license new devices of every customer but two; flock stops overlapping runs.
  15 2 * * *  flock -n /tmp/msp-license.lock msp-license --profile prod assign \\
                --services foundation_ap --exclude c1,c2 --wait --timeout 2h \\
                >>/var/log/msp-license.log 2>&1 || echo "msp-license exit $?" | mail -s msp-license ops@example.com

  # Weekly keep-alive: refresh tokens are revoked by Central after 15 days unused.
  0 6 * * 1   msp-license --profile prod auth refresh --quiet >>/var/log/msp-license.log 2>&1

  Logs: whatever you redirect (above: /var/log/msp-license.log). Every assign/unassign is also
  recorded in the history file (msp-license history).

  What each exit code means for an alert: msp-license help exit-codes
`;

const TOPICS: Record<string, string> = {
  'exit-codes': EXIT_CODES,
  exitcodes: EXIT_CODES,
  environment: ENVIRONMENT,
  env: ENVIRONMENT,
  cron: CRON,
};

export function helpTopic(topic: string): string | undefined {
  return TOPICS[topic.toLowerCase()];
}
