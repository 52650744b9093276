#!/usr/bin/env bash
# Nightly msp-license run for cron: license new devices, keep one log, alert only when a person
# has to act. The same script is the weekly keep-alive of the refresh token.
#
#   # crontab -e   (cron mails whatever a job prints: this script prints only alerts)
#   MAILTO=ops@example.com
#   MSP_LICENSE_CONFIG_DIR=/home/ops/.config/msp-license
#   MSP_LICENSE_PROFILE=prod
#   EXCLUDE=c1,c2
#   15 2 * * *  /opt/msp-license/cron-nightly.sh
#   0 6 * * 1   /opt/msp-license/cron-nightly.sh keepalive
#
# Settings (environment; the defaults in brackets):
#   MSP_LICENSE_PROFILE     profile to use [prod]
#   MSP_LICENSE_CONFIG_DIR  config, caches and history [~/.config/msp-license]
#   MSP_LICENSE             the msp-license executable; cron's PATH is bare [msp-license]
#   SERVICES                services to assign, comma list [foundation_ap]
#   EXCLUDE                 customers (ids or names) to leave alone, comma list; empty = every customer
#   TIMEOUT                 how long to follow the job [2h]
#   INTERVAL                time between progress polls; each costs one API call per service, and
#                           TIMEOUT / INTERVAL polls must fit the day's API budget (5,000 calls) [1m]
#   LOG                     log file [$MSP_LICENSE_CONFIG_DIR/cron.log]
#   LOCK                    lock file: an overlapping run is skipped [$MSP_LICENSE_CONFIG_DIR/cron.lock]
#
# Exit status: msp-license's own (msp-license help exit-codes); 0 when skipped for the lock.
set -u

mode=${1:-assign}
export MSP_LICENSE_PROFILE="${MSP_LICENSE_PROFILE:-prod}"
export MSP_LICENSE_CONFIG_DIR="${MSP_LICENSE_CONFIG_DIR:-$HOME/.config/msp-license}"
msp=${MSP_LICENSE:-msp-license}
services=${SERVICES:-foundation_ap}
exclude=${EXCLUDE:-}
timeout=${TIMEOUT:-2h}
interval=${INTERVAL:-1m}
log=${LOG:-$MSP_LICENSE_CONFIG_DIR/cron.log}
lock=${LOCK:-$MSP_LICENSE_CONFIG_DIR/cron.lock}

mkdir -p "$(dirname "$log")" "$(dirname "$lock")"
stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
note() { printf '%s [cron-nightly] %s\n' "$(stamp)" "$*" >>"$log"; }
# An alert goes to the log and to stdout (which cron mails to MAILTO).
alert() {
  note "ALERT: $*"
  printf 'msp-license (%s, profile %s): %s\n' "$mode" "$MSP_LICENSE_PROFILE" "$*"
}

# One run at a time: if the last night's run still holds the lock, skip this one quietly.
if command -v flock >/dev/null 2>&1; then
  exec 9>>"$lock"
  if ! flock -n 9; then
    note "skipped: a previous run still holds $lock"
    exit 0
  fi
else
  note "flock not found (util-linux): running without a lock"
fi

case $mode in
  keepalive)
    # Central revokes a refresh token unused for 15 days: refresh it weekly.
    note "auth refresh"
    "$msp" --no-input --quiet auth refresh >>"$log" 2>&1
    ;;
  assign)
    if [ -n "$exclude" ]; then scope=(--exclude "$exclude"); else scope=(--all-customers); fi
    note "assign --services $services ${scope[*]} --wait --timeout $timeout --interval $interval"
    "$msp" --no-input assign --services "$services" "${scope[@]}" \
      --wait --timeout "$timeout" --interval "$interval" >>"$log" 2>&1
    ;;
  *)
    echo "usage: $0 [assign|keepalive]" >&2
    exit 2
    ;;
esac
rc=$?
note "exit $rc"

case $rc in
  0) ;;
  7) alert "stalled with devices left unlicensed: out of licenses? Buy or free some; the next run picks them up. See $log" ;;
  8) alert "the job was still running after $timeout; check 'msp-license status' later. See $log" ;;
  4) alert "credentials rejected or expired: run 'msp-license auth status', then 'msp-license login' if revoked" ;;
  5 | 6) note "rate limit or network trouble (exit $rc): usually transient, the next run retries" ;;
  2) alert "the command line is wrong (unknown service or customer?): fix this script's settings. See $log" ;;
  129 | 130 | 143) alert "interrupted (exit $rc); 'msp-license history' keeps what was sent" ;;
  *) alert "failed (exit $rc): see $log" ;;
esac
exit "$rc"
