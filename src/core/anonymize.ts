// Recorded API answers with nothing identifying left: every customer id, name, serial, MAC,
// subscription key, user and token is replaced by a stable placeholder (the same value always
// becomes the same placeholder, so the shapes and the joins between answers survive). Pure.

export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The TenantID header sent, if any. */
  tenant?: string;
  status: number;
  /** The rate-limit headers only. */
  headers: Record<string, string>;
  body: unknown;
}

type Kind = 'id' | 'name' | 'serial' | 'mac' | 'key' | 'token' | 'user' | 'text' | 'addr';

const KEY_KINDS: Array<[RegExp, Kind]> = [
  [
    /^(access_token|refresh_token|token|id_token|client_secret|password|auth_code|csrftoken|session)$/i,
    'token',
  ],
  [/^(serial|serial_number|device_serial|serialnumber)$/i, 'serial'],
  [/^(macaddr|mac|mac_address|macaddress)$/i, 'mac'],
  [/^(subscription_key|key|license_key)$/i, 'key'],
  [/^(username|user|email|user_name|created_by|updated_by)$/i, 'user'],
  [/^(imei|ip|ip_address|ipaddress|ipv4|ipv6|public_ip|ip_addr)$/i, 'addr'],
  [
    /^(notes?|address|street|city|zip|zipcode|postal_code|phone|phone_number|contact|contact_name|comments?)$/i,
    'text',
  ],
  [/^(customer_name|name|group_name|site_name|device_name|hostname|label_name)$/i, 'name'],
  [/^(id|customer_id|msp_id|tenant_id|cid|group_id|site_id|label_id|account_id|client_id)$/i, 'id'],
  // Any other …_name / …Name and …_id / …Id, but the names of Central's own things.
  [/^(?!service_name$|display_name$|license_name$|app_name$|acpapp_name$)\w+(_name|Name)$/, 'name'],
  [/^\w+(_id|Id|ID)$/, 'id'],
];

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const HEX_ID = /^[0-9a-f]{24,64}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export class Anonymizer {
  private readonly map = new Map<string, string>();
  private readonly counts = new Map<Kind, number>();

  /** The placeholder of `value` (made on first sight). */
  placeholder(value: string, kind: Kind): string {
    const known = this.map.get(value);
    if (known) return known;
    if (kind === 'mac') {
      // The same MAC written otherwise (upper case, '-', no separators) is the same device.
      const bare = value.replace(/[:-]/g, '').toLowerCase();
      const same = [...this.map.keys()].find(
        (k) => MAC.test(k) && k.replace(/[:-]/g, '').toLowerCase() === bare,
      );
      if (same) {
        const placeholder = this.map.get(same) as string;
        this.map.set(value, placeholder);
        return placeholder;
      }
    }
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const out =
      kind === 'mac'
        ? `02:00:00:00:${hex2((n >> 8) & 255)}:${hex2(n & 255)}`
        : kind === 'serial'
          ? `SERIAL${String(n).padStart(6, '0')}`
          : `${kind}-${n}`;
    this.map.set(value, out);
    return out;
  }

  private kindOfValue(value: string): Kind | undefined {
    if (MAC.test(value)) return 'mac';
    if (HEX_ID.test(value)) return 'id';
    if (EMAIL.test(value)) return 'user';
    return undefined;
  }

  /** First pass: learn every identifying value (by its key or its look) and replace it. */
  private walk(value: unknown, key?: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.walk(v, key));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      // A description is free text (contacts, addresses) unless it is an error body's message.
      const errorBody = 'error_code' in value || 'error' in value;
      for (const [k, v] of Object.entries(value)) {
        const kind = this.kindOfValue(k);
        const outKey = kind ? this.placeholder(k, kind) : k;
        out[outKey] =
          k === 'description' && !errorBody && typeof v === 'string' && v !== ''
            ? this.placeholder(v, 'text')
            : this.walk(v, k);
      }
      return out;
    }
    const byKey = key ? KEY_KINDS.find(([pattern]) => pattern.test(key))?.[1] : undefined;
    if (typeof value === 'number' && byKey && byKey !== 'text') return this.placeholder(String(value), byKey);
    if (typeof value !== 'string' || value === '') return value;
    const kind = byKey ?? this.kindOfValue(value);
    return kind ? this.placeholder(value, kind) : value;
  }

  /** Second pass: every learned value left inside other text (a path, a description) is replaced. */
  private scrub(text: string): string {
    let out = text;
    const known = [...this.map.keys()].filter((k) => k.length >= 4).sort((a, b) => b.length - a.length);
    for (const original of known) {
      const placeholder = this.map.get(original) as string;
      if (out.includes(original)) out = out.split(original).join(placeholder);
      if (MAC.test(original)) {
        // Upper or lower case, ':' or '-' or nothing between the bytes.
        const bytes = original.replace(/[:-]/g, '').match(/../g) ?? [];
        out = out.replace(new RegExp(bytes.join('[:-]?'), 'gi'), placeholder);
      }
    }
    return out;
  }

  private deep(value: unknown): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.scrub(k)] = this.deep(v);
      return out;
    }
    return value;
  }

  /** Learns from `secrets` (tokens, client id and secret) so that they are never left in text. */
  remember(values: Iterable<string | undefined>, kind: Kind = 'token'): void {
    for (const v of values) if (v) this.placeholder(v, kind);
  }

  exchanges(list: Exchange[]): Exchange[] {
    // Learn from every body and tenant header first, then scrub everything with all that was learned.
    const walked = list.map((e) => ({
      ...e,
      ...(e.tenant !== undefined ? { tenant: this.placeholder(e.tenant, 'id') } : {}),
      query: Object.fromEntries(Object.entries(e.query).map(([k, v]) => [k, this.walk(v, k) as string])),
      body: this.walk(e.body),
    }));
    return walked.map((e) => ({
      ...e,
      path: this.scrub(e.path),
      query: Object.fromEntries(Object.entries(e.query).map(([k, v]) => [k, this.scrub(v)])),
      headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, this.scrub(v)])),
      body: this.deep(e.body),
    }));
  }
}
