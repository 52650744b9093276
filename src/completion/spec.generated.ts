// biome-ignore-all format: generated
// GENERATED from the commander tree in src/cli.ts by scripts/build.mjs: do not edit.
// Regenerate: npm run build
import type { CommandSpec } from './spec.js';

export const COMPLETION_SPEC: CommandSpec = {
  "name": "msp-license",
  "description": "Assign Aruba Central service licenses to the devices of an MSP’s tenant customers.",
  "options": [
    {
      "names": [
        "-V",
        "--version"
      ],
      "value": "none",
      "description": "print the version"
    },
    {
      "names": [
        "-p",
        "--profile"
      ],
      "value": "required",
      "description": "profile to use"
    },
    {
      "names": [
        "--json"
      ],
      "value": "none",
      "description": "machine-readable output: one JSON document on stdout"
    },
    {
      "names": [
        "-q",
        "--quiet"
      ],
      "value": "none",
      "description": "print only errors and answers (no status lines, no confirmations)"
    },
    {
      "names": [
        "-v",
        "--verbose"
      ],
      "value": "none",
      "description": "trace HTTP calls on stderr (secrets redacted)"
    },
    {
      "names": [
        "--no-color"
      ],
      "value": "none",
      "description": "no colour (also NO_COLOR)"
    },
    {
      "names": [
        "--no-input"
      ],
      "value": "none",
      "description": "never prompt (scripts, cron)"
    },
    {
      "names": [
        "--base-url"
      ],
      "value": "required",
      "description": "gateway URL (overrides the profile)"
    },
    {
      "names": [
        "--request-timeout"
      ],
      "value": "required",
      "description": "give up on one HTTP request after this long (1s to 10m, default 30s)"
    },
    {
      "names": [
        "-h",
        "--help"
      ],
      "value": "none",
      "description": "show help"
    }
  ],
  "args": [],
  "commands": [
    {
      "name": "login",
      "description": "store credentials in a profile (interactive on a terminal)",
      "options": [
        {
          "names": [
            "--cluster"
          ],
          "value": "required",
          "description": "regional gateway: us-1, us-2, us-east-1, us-west-4, us-west-5, eu-1, eu-central-2, eu-central-3, ca-1, cn-1, apac-1, apac-east-1, apac-south-1, uae-north-1"
        },
        {
          "names": [
            "--client-id"
          ],
          "value": "required",
          "description": "API client id (Central: API Gateway → System Apps & Tokens)"
        },
        {
          "names": [
            "--client-secret-stdin"
          ],
          "value": "none",
          "description": "read the client secret from stdin (or set MSP_LICENSE_CLIENT_SECRET)"
        },
        {
          "names": [
            "--token-file"
          ],
          "value": "required",
          "description": "Central's “Download Token” JSON file ('-' = stdin)"
        },
        {
          "names": [
            "--refresh-token-stdin"
          ],
          "value": "none",
          "description": "read a refresh token from stdin"
        },
        {
          "names": [
            "--username"
          ],
          "value": "required",
          "description": "username/password login (non-SSO accounts); password from --password-stdin"
        },
        {
          "names": [
            "--password-stdin"
          ],
          "value": "none",
          "description": "read the password from stdin"
        },
        {
          "names": [
            "--customer-id"
          ],
          "value": "required",
          "description": "with --username: the MSP customer id"
        },
        {
          "names": [
            "--default"
          ],
          "value": "none",
          "description": "make this the default profile"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "logout",
      "description": "forget a profile's secrets (keeps its gateway and client id)",
      "options": [
        {
          "names": [
            "--remove"
          ],
          "value": "none",
          "description": "remove the whole profile"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "auth",
      "description": "credentials: status and keep-alive",
      "options": [
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": [
        {
          "name": "status",
          "description": "who am I, which gateway, token expiry, refresh-token age (exit 4 when they do not work)",
          "options": [
            {
              "names": [
                "--offline"
              ],
              "value": "none",
              "description": "do not verify with a live call"
            },
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [],
          "commands": []
        },
        {
          "name": "refresh",
          "description": "refresh the tokens now (cron keep-alive: refresh tokens die after 15 days unused)",
          "options": [
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [],
          "commands": []
        },
        {
          "name": "help",
          "description": "display help for command",
          "options": [],
          "args": [
            {
              "name": "command",
              "variadic": false
            }
          ],
          "commands": []
        }
      ]
    },
    {
      "name": "profiles",
      "description": "list profiles; mark the default; refresh-token age",
      "options": [
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": [
        {
          "name": "use",
          "description": "make a profile the default",
          "options": [
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [
            {
              "name": "name",
              "variadic": false
            }
          ],
          "commands": []
        }
      ]
    },
    {
      "name": "services",
      "description": "list the licensable services (cached; --refresh)",
      "options": [
        {
          "names": [
            "--refresh"
          ],
          "value": "none",
          "description": "fetch the list again instead of using the cache"
        },
        {
          "names": [
            "--all"
          ],
          "value": "none",
          "description": "also list non-Central GreenLake services"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "customers",
      "description": "list tenant customers (cached; --refresh, --search TEXT)",
      "options": [
        {
          "names": [
            "--refresh"
          ],
          "value": "none",
          "description": "fetch the list again instead of using the cache"
        },
        {
          "names": [
            "--search"
          ],
          "value": "required",
          "description": "only customers whose name or id contains TEXT"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "assign",
      "description": "assign service licenses to all devices of the chosen customers",
      "options": [
        {
          "names": [
            "-s",
            "--services"
          ],
          "value": "required",
          "description": "services to assign (comma list; repeatable)"
        },
        {
          "names": [
            "--include"
          ],
          "value": "required",
          "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--exclude"
          ],
          "value": "required",
          "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--include-file"
          ],
          "value": "required",
          "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--exclude-file"
          ],
          "value": "required",
          "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--all-customers"
          ],
          "value": "none",
          "description": "every customer of the MSP (required when neither --include nor --exclude)"
        },
        {
          "names": [
            "--dry-run"
          ],
          "value": "none",
          "description": "resolve and validate, print the plan, send nothing"
        },
        {
          "names": [
            "-y",
            "--yes"
          ],
          "value": "none",
          "description": "do not ask for confirmation"
        },
        {
          "names": [
            "-w",
            "--wait"
          ],
          "value": "none",
          "description": "wait until every eligible device in scope is done"
        },
        {
          "names": [
            "--timeout"
          ],
          "value": "required",
          "description": "with --wait: give up after this long (1s to 7d, e.g. 30m, 2h)"
        },
        {
          "names": [
            "--interval"
          ],
          "value": "required",
          "description": "with --wait: time between progress polls (1s to 1h; each poll costs one call per service)"
        },
        {
          "names": [
            "--stall-after"
          ],
          "value": "required",
          "description": "with --wait: give up (exit 7) after this long without progress (1s to 1d)"
        },
        {
          "names": [
            "--chunk-size"
          ],
          "value": "required",
          "description": "customer ids per request, 1 to 10000 (halved on 413/417)"
        },
        {
          "names": [
            "--resume"
          ],
          "value": "optional",
          "description": "send only what an earlier run did not get accepted (from the history)"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "unassign",
      "description": "remove service licenses from all devices of the chosen customers",
      "options": [
        {
          "names": [
            "-s",
            "--services"
          ],
          "value": "required",
          "description": "services to remove (comma list; repeatable)"
        },
        {
          "names": [
            "--include"
          ],
          "value": "required",
          "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--exclude"
          ],
          "value": "required",
          "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--include-file"
          ],
          "value": "required",
          "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--exclude-file"
          ],
          "value": "required",
          "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--all-customers"
          ],
          "value": "none",
          "description": "every customer of the MSP (required when neither --include nor --exclude)"
        },
        {
          "names": [
            "--dry-run"
          ],
          "value": "none",
          "description": "resolve and validate, print the plan, send nothing"
        },
        {
          "names": [
            "-y",
            "--yes"
          ],
          "value": "none",
          "description": "do not ask for confirmation"
        },
        {
          "names": [
            "-w",
            "--wait"
          ],
          "value": "none",
          "description": "wait until every eligible device in scope is done"
        },
        {
          "names": [
            "--timeout"
          ],
          "value": "required",
          "description": "with --wait: give up after this long (1s to 7d, e.g. 30m, 2h)"
        },
        {
          "names": [
            "--interval"
          ],
          "value": "required",
          "description": "with --wait: time between progress polls (1s to 1h; each poll costs one call per service)"
        },
        {
          "names": [
            "--stall-after"
          ],
          "value": "required",
          "description": "with --wait: give up (exit 7) after this long without progress (1s to 1d)"
        },
        {
          "names": [
            "--chunk-size"
          ],
          "value": "required",
          "description": "customer ids per request, 1 to 10000 (halved on 413/417)"
        },
        {
          "names": [
            "--resume"
          ],
          "value": "optional",
          "description": "send only what an earlier run did not get accepted (from the history)"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "status",
      "description": "license coverage of a scope: devices licensed / eligible, per service and customer",
      "options": [
        {
          "names": [
            "-s",
            "--services"
          ],
          "value": "required",
          "description": "services to report (default: every service with eligible devices)"
        },
        {
          "names": [
            "--include"
          ],
          "value": "required",
          "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--exclude"
          ],
          "value": "required",
          "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
        },
        {
          "names": [
            "--include-file"
          ],
          "value": "required",
          "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--exclude-file"
          ],
          "value": "required",
          "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
        },
        {
          "names": [
            "--all-customers"
          ],
          "value": "none",
          "description": "every customer of the MSP (required when neither --include nor --exclude)"
        },
        {
          "names": [
            "--refresh-autolicense"
          ],
          "value": "none",
          "description": "ask Central for the auto-licensing state (MSP default, paused) instead of the cache"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "history",
      "description": "the local audit log of every assign/unassign this machine sent",
      "options": [
        {
          "names": [
            "--since"
          ],
          "value": "required",
          "description": "only entries since a date (2026-11-01) or a duration ago (7d, 12h)"
        },
        {
          "names": [
            "--limit"
          ],
          "value": "required",
          "description": "at most N entries, newest last (1 to 1000000)"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "completion",
      "description": "print a completion script for bash, zsh or fish",
      "options": [
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [
        {
          "name": "shell",
          "variadic": false
        }
      ],
      "commands": []
    },
    {
      "name": "autolicense",
      "description": "tenant auto-licensing: status, enable, disable (new devices licensed by Central)",
      "options": [
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": [
        {
          "name": "status",
          "description": "per service: the MSP default (what new tenants inherit), each tenant on or off, paused or not",
          "options": [
            {
              "names": [
                "-s",
                "--services"
              ],
              "value": "required",
              "description": "services to report (default: every service with eligible devices)"
            },
            {
              "names": [
                "--include"
              ],
              "value": "required",
              "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--exclude"
              ],
              "value": "required",
              "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--include-file"
              ],
              "value": "required",
              "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--exclude-file"
              ],
              "value": "required",
              "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--all-customers"
              ],
              "value": "none",
              "description": "every customer of the MSP (required when neither --include nor --exclude)"
            },
            {
              "names": [
                "--refresh"
              ],
              "value": "none",
              "description": "ask Central again instead of using answers cached less than 6 h ago"
            },
            {
              "names": [
                "-y",
                "--yes"
              ],
              "value": "none",
              "description": "spend the calls even when they would take most of the day budget"
            },
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [],
          "commands": []
        },
        {
          "name": "enable",
          "description": "turn auto-licensing on for services and customers (assigns them now, and to new devices later)",
          "options": [
            {
              "names": [
                "-s",
                "--services"
              ],
              "value": "required",
              "description": "services (comma list; repeatable)"
            },
            {
              "names": [
                "--include"
              ],
              "value": "required",
              "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--exclude"
              ],
              "value": "required",
              "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--include-file"
              ],
              "value": "required",
              "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--exclude-file"
              ],
              "value": "required",
              "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--all-customers"
              ],
              "value": "none",
              "description": "every customer of the MSP (required when neither --include nor --exclude)"
            },
            {
              "names": [
                "--dry-run"
              ],
              "value": "none",
              "description": "resolve and validate, print the plan, send nothing"
            },
            {
              "names": [
                "-y",
                "--yes"
              ],
              "value": "none",
              "description": "do not ask for confirmation"
            },
            {
              "names": [
                "-w",
                "--wait"
              ],
              "value": "none",
              "description": "wait until every eligible device in scope is licensed"
            },
            {
              "names": [
                "--timeout"
              ],
              "value": "required",
              "description": "with --wait: give up after this long (e.g. 30m, 2h)"
            },
            {
              "names": [
                "--interval"
              ],
              "value": "required",
              "description": "with --wait: time between progress polls (min 1s)"
            },
            {
              "names": [
                "--stall-after"
              ],
              "value": "required",
              "description": "with --wait: give up (exit 7) after this long without progress"
            },
            {
              "names": [
                "--chunk-size"
              ],
              "value": "required",
              "description": "customer ids per request (halved on 413/417)"
            },
            {
              "names": [
                "--resume"
              ],
              "value": "optional",
              "description": "send only what an earlier run did not get accepted (from the history)"
            },
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [],
          "commands": []
        },
        {
          "name": "disable",
          "description": "turn auto-licensing off for services and customers (current licenses stay)",
          "options": [
            {
              "names": [
                "-s",
                "--services"
              ],
              "value": "required",
              "description": "services (comma list; repeatable)"
            },
            {
              "names": [
                "--include"
              ],
              "value": "required",
              "description": "only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--exclude"
              ],
              "value": "required",
              "description": "every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)"
            },
            {
              "names": [
                "--include-file"
              ],
              "value": "required",
              "description": "read customers to include from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--exclude-file"
              ],
              "value": "required",
              "description": "read customers to exclude from FILE ('-' = stdin), one per line, # comments"
            },
            {
              "names": [
                "--all-customers"
              ],
              "value": "none",
              "description": "every customer of the MSP (required when neither --include nor --exclude)"
            },
            {
              "names": [
                "--dry-run"
              ],
              "value": "none",
              "description": "resolve and validate, print the plan, send nothing"
            },
            {
              "names": [
                "-y",
                "--yes"
              ],
              "value": "none",
              "description": "do not ask for confirmation"
            },
            {
              "names": [
                "--chunk-size"
              ],
              "value": "required",
              "description": "customer ids per request (halved on 413/417)"
            },
            {
              "names": [
                "--resume"
              ],
              "value": "optional",
              "description": "send only what an earlier run did not get accepted (from the history)"
            },
            {
              "names": [
                "-h",
                "--help"
              ],
              "value": "none",
              "description": "show help"
            }
          ],
          "args": [],
          "commands": []
        },
        {
          "name": "help",
          "description": "display help for command",
          "options": [],
          "args": [
            {
              "name": "command",
              "variadic": false
            }
          ],
          "commands": []
        }
      ]
    },
    {
      "name": "plan",
      "description": "licensing as code: compare the estate with a policy file and list the jobs that converge it",
      "options": [
        {
          "names": [
            "-f",
            "--file"
          ],
          "value": "required",
          "description": "the policy file, YAML or JSON ('-' = stdin)"
        },
        {
          "names": [
            "--check"
          ],
          "value": "none",
          "description": "for cron and monitoring: exit 10 when the estate has drifted (one line per customer on stderr)"
        },
        {
          "names": [
            "--out"
          ],
          "value": "required",
          "description": "save the plan as JSON for 'msp-license apply FILE'"
        },
        {
          "names": [
            "--refresh"
          ],
          "value": "none",
          "description": "ask Central for auto-licensing settings instead of answers cached less than 6 h ago"
        },
        {
          "names": [
            "-y",
            "--yes"
          ],
          "value": "none",
          "description": "spend the API calls even past what is left of today's budget"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "apply",
      "description": "licensing as code: run the jobs that converge the estate to a policy file or a saved plan",
      "options": [
        {
          "names": [
            "-f",
            "--file"
          ],
          "value": "required",
          "description": "the policy file, YAML or JSON ('-' = stdin)"
        },
        {
          "names": [
            "--dry-run"
          ],
          "value": "none",
          "description": "read the state and print the plan, send nothing"
        },
        {
          "names": [
            "-y",
            "--yes"
          ],
          "value": "none",
          "description": "do not ask for confirmation (required without a terminal)"
        },
        {
          "names": [
            "-w",
            "--wait"
          ],
          "value": "none",
          "description": "wait for each license job until its devices are done"
        },
        {
          "names": [
            "--timeout"
          ],
          "value": "required",
          "description": "with --wait: give up on a job after this long (1s to 7d)"
        },
        {
          "names": [
            "--interval"
          ],
          "value": "required",
          "description": "with --wait: time between progress polls (1s to 1h)"
        },
        {
          "names": [
            "--stall-after"
          ],
          "value": "required",
          "description": "with --wait: give up (exit 7) after this long without progress"
        },
        {
          "names": [
            "--chunk-size"
          ],
          "value": "required",
          "description": "customer ids per request, 1 to 10000"
        },
        {
          "names": [
            "--refresh"
          ],
          "value": "none",
          "description": "ask Central for auto-licensing settings instead of answers cached less than 6 h ago"
        },
        {
          "names": [
            "--resume"
          ],
          "value": "optional",
          "description": "send the jobs an earlier apply did not finish (its record)"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [
        {
          "name": "plan",
          "variadic": false
        }
      ],
      "commands": []
    },
    {
      "name": "doctor",
      "description": "check, on a live tenant, every API behaviour the tool relies on (read-only calls)",
      "options": [
        {
          "names": [
            "-y",
            "--yes"
          ],
          "value": "none",
          "description": "do not ask before making the calls"
        },
        {
          "names": [
            "--record"
          ],
          "value": "required",
          "description": "also write the raw answers, with every id, name, serial, MAC and token replaced"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "sandbox",
      "description": "run a local simulated Central (for trying the tool and rehearsing cron scripts)",
      "options": [
        {
          "names": [
            "--port"
          ],
          "value": "required",
          "description": "port to listen on, 0 to 65535 (0 = any free one)"
        },
        {
          "names": [
            "--host"
          ],
          "value": "required",
          "description": "loopback address to bind"
        },
        {
          "names": [
            "--customers"
          ],
          "value": "required",
          "description": "tenant customers"
        },
        {
          "names": [
            "--devices"
          ],
          "value": "required",
          "description": "tenant devices in all"
        },
        {
          "names": [
            "--licenses"
          ],
          "value": "required",
          "description": "licenses per service"
        },
        {
          "names": [
            "--job-speed"
          ],
          "value": "required",
          "description": "devices licensed per second by a job"
        },
        {
          "names": [
            "--token-ttl"
          ],
          "value": "required",
          "description": "access-token lifetime"
        },
        {
          "names": [
            "--page-size"
          ],
          "value": "required",
          "description": "silent cap on page sizes"
        },
        {
          "names": [
            "--max-ids"
          ],
          "value": "required",
          "description": "customer ids per request before 413"
        },
        {
          "names": [
            "--daily-limit"
          ],
          "value": "required",
          "description": "API calls per day"
        },
        {
          "names": [
            "--no-rate-limit"
          ],
          "value": "none",
          "description": "do not enforce 7 calls/s and the daily budget"
        },
        {
          "names": [
            "--services-v2"
          ],
          "value": "none",
          "description": "also serve the documented v2 services path"
        },
        {
          "names": [
            "--variant"
          ],
          "value": "required",
          "description": "how to answer where Central is not known: tenant-stats=scoped|ignored, stats-filter=service|license_type, msp-in-wide=yes|no, services-v2=ok|404|401|403|405|500, job-conflict=N (comma list; repeatable)"
        },
        {
          "names": [
            "--replay"
          ],
          "value": "required",
          "description": "serve the answers recorded by `doctor --record` instead of a simulated estate"
        },
        {
          "names": [
            "--fault-429"
          ],
          "value": "required",
          "description": "answer the next N calls with 429"
        },
        {
          "names": [
            "--fault-5xx"
          ],
          "value": "required",
          "description": "answer the next N calls with 500"
        },
        {
          "names": [
            "--latency"
          ],
          "value": "required",
          "description": "delay every answer"
        },
        {
          "names": [
            "--seed"
          ],
          "value": "required",
          "description": "estate seed"
        },
        {
          "names": [
            "--write-profile"
          ],
          "value": "optional",
          "description": "write a ready profile (default name: sandbox)"
        },
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [],
      "commands": []
    },
    {
      "name": "help",
      "description": "help on a command, or a topic: exit-codes, environment, cron",
      "options": [
        {
          "names": [
            "-h",
            "--help"
          ],
          "value": "none",
          "description": "show help"
        }
      ],
      "args": [
        {
          "name": "topic",
          "variadic": true
        }
      ],
      "commands": []
    }
  ]
};
