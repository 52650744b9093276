// doctor's calls, each answer kept (any status; the rate-limit headers) for `--record FILE`: the
// raw answers with every identifying value replaced, which `msp-license sandbox --replay` serves.
import { writeFileSync } from 'node:fs';
import type { CentralClient } from '../../central/http.js';
import { Anonymizer, type Exchange } from '../../core/anonymize.js';
import { ApiError } from '../../errors.js';
import { type Answer, RATE_HEADERS } from './verdicts.js';

/** Every status but 429 is an answer to keep (a 429 is retried by the client). */
const ANY = Array.from({ length: 300 }, (_, i) => 300 + i).filter((s) => s !== 429);

export class Recorder {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly client: CentralClient) {}

  async get(path: string, query: Record<string, string> = {}, tenant?: string): Promise<Answer> {
    const res = await this.client.request<unknown>('GET', path, {
      query,
      ...(tenant ? { tenantId: tenant } : {}),
      acceptStatus: ANY,
    });
    const headers = Object.fromEntries(
      RATE_HEADERS.flatMap((h) => (res.headers[h] ? [[h, res.headers[h]]] : [])),
    );
    this.exchanges.push({
      method: 'GET',
      path,
      query,
      ...(tenant ? { tenant } : {}),
      status: res.status,
      headers,
      body: res.body,
    });
    return res;
  }

  /** The answers, anonymised (the secrets and the client id among what is replaced), written 0600. */
  save(file: string, secrets: Array<string | undefined>): void {
    const anonymizer = new Anonymizer();
    anonymizer.remember(secrets);
    const recording = {
      recordedBy: 'msp-license doctor',
      recordedAt: new Date().toISOString(),
      exchanges: anonymizer.exchanges(this.exchanges),
    };
    try {
      writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new ApiError(`Cannot write ${file}: ${(error as Error).message}`);
    }
  }
}
