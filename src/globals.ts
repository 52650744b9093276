/** The global options as commander hands them over (`--no-color` → color: false). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  input?: boolean;
  baseUrl?: string;
  /** Per-request timeout (a duration); env MSP_LICENSE_REQUEST_TIMEOUT. */
  requestTimeout?: string;
  /** Where requestTimeout came from when not the flag (`MSP_LICENSE_REQUEST_TIMEOUT`). */
  requestTimeoutFrom?: string;
}
