// The request log: what reached the sandbox, with counts per normalised endpoint.

export interface LogEntry {
  t: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  tenant?: string;
  body?: unknown;
}

const MAX_ENTRIES = 200_000;

export function normalisePath(path: string): string {
  return path
    .replace(/^(\/msp_api\/v1\/customers\/)[^/]+(\/devices)$/, '$1{id}$2')
    .replace(/^(\/platform\/licensing\/v1\/autolicensing\/services\/)[^/]+(\/status)$/, '$1{service}$2');
}

export class RequestLog {
  private entries: LogEntry[] = [];
  private counts: Record<string, number> = {};
  private total = 0;

  add(entry: LogEntry): void {
    this.total++;
    const key = entry.method + ' ' + normalisePath(entry.path);
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.entries.push(entry);
    // Keep memory bounded on long runs; totals and counts stay exact.
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  snapshot(): { total: number; counts: Record<string, number>; requests: LogEntry[] } {
    return { total: this.total, counts: { ...this.counts }, requests: this.entries };
  }

  clear(): void {
    this.entries = [];
    this.counts = {};
    this.total = 0;
  }
}
