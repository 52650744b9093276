// Injected faults: counted ones are used up one per matching API call.

export interface FaultSpec {
  /** The next N API calls answer 429. */
  status429?: number;
  always429?: boolean;
  /** The next N API calls answer 500 {"message":"An unexpected error occurred"}. */
  status5xx?: number;
  /** The next N API calls answer 503 text/plain (the gateway's "upstream connect error"). */
  plain503?: number;
  /** The next N API calls get their socket destroyed without an answer. */
  reset?: number;
  /** Delay every (matching) API answer. */
  latencyMs?: number;
  /** Only requests whose "METHOD /path" starts with this string. */
  match?: string;
}

export type FaultKind = 'reset' | 'plain503' | 'status5xx' | 'status429';

export interface FaultDecision {
  kind?: FaultKind;
  latencyMs: number;
}

const COUNTED: FaultKind[] = ['reset', 'plain503', 'status5xx', 'status429'];

export function normaliseFaults(input: unknown): FaultSpec {
  const spec: FaultSpec = {};
  if (!input || typeof input !== 'object') return spec;
  const o = input as Record<string, unknown>;
  for (const k of [...COUNTED, 'latencyMs'] as const) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) spec[k] = Math.floor(v);
  }
  if (o.always429 === true) spec.always429 = true;
  if (typeof o.match === 'string' && o.match !== '') spec.match = o.match;
  return spec;
}

export class Faults {
  private spec: FaultSpec;

  constructor(initial?: FaultSpec) {
    this.spec = normaliseFaults(initial);
  }

  get current(): FaultSpec {
    return { ...this.spec };
  }

  replace(spec: unknown): FaultSpec {
    this.spec = normaliseFaults(spec);
    return this.current;
  }

  /** Decides the fault for one API call, `key` being "METHOD /path". */
  take(key: string): FaultDecision {
    const s = this.spec;
    if (s.match && !key.startsWith(s.match)) return { latencyMs: 0 };
    const latencyMs = s.latencyMs ?? 0;
    for (const kind of COUNTED) {
      const n = s[kind];
      if (n && n > 0) {
        s[kind] = n - 1;
        if (s[kind] === 0) delete s[kind];
        return { kind, latencyMs };
      }
    }
    if (s.always429) return { kind: 'status429', latencyMs };
    return { latencyMs };
  }
}
