// The behaviours of Central that no public source settles, each a switch. The default of each is
// one plausible reading; the test suite runs the main job under every value (see
// docs/central-contract.md, "Unknowns and their switches").

export interface Variants {
  /** Does the `TenantID` header scope `subscriptions/stats` to one tenant, or is it ignored? */
  tenantStats: 'scoped' | 'ignored';
  /** Which query parameter filters `subscriptions/stats` by service; the other one is ignored. */
  statsFilter: 'service' | 'license_type';
  /** Are the MSP's own devices counted in the MSP-wide `non_subscribed_devices`? */
  mspInWide: boolean;
  /** What the documented v2 services path answers: the list, or an error status. */
  servicesV2: 'ok' | 404 | 401 | 403 | 405 | 500;
  /** The first N license-job requests answer 409 (another license job is running). */
  jobConflict: number;
  /** The answer of GET …/msp/customer/settings/autolicense: `{"services":[…]}`, a bare list, or `{"data":{"services":[…]}}`. */
  autolicenseShape: 'services' | 'list' | 'data';
  /** The answer of GET …/autolicensing/services/{s}/status: `{"status":b}`, `{"<service>":b}`, or a bare `b`. */
  licenseStatusShape: 'status' | 'keyed' | 'bare';
}

export const DEFAULT_VARIANTS: Variants = {
  tenantStats: 'scoped',
  statsFilter: 'service',
  mspInWide: false,
  servicesV2: 404,
  jobConflict: 0,
  autolicenseShape: 'services',
  licenseStatusShape: 'status',
};

/** Each value of each switch that differs from the default, one variant apiece (for the tests). */
export const VARIANT_MATRIX: Array<{ name: string; variants: Partial<Variants> }> = [
  { name: 'default', variants: {} },
  { name: 'tenant-stats=ignored', variants: { tenantStats: 'ignored' } },
  { name: 'stats-filter=license_type', variants: { statsFilter: 'license_type' } },
  { name: 'msp-in-wide=yes', variants: { mspInWide: true } },
  { name: 'services-v2=ok', variants: { servicesV2: 'ok' } },
  { name: 'services-v2=401', variants: { servicesV2: 401 } },
  { name: 'services-v2=403', variants: { servicesV2: 403 } },
  { name: 'services-v2=405', variants: { servicesV2: 405 } },
  { name: 'services-v2=500', variants: { servicesV2: 500 } },
  { name: 'job-conflict=1', variants: { jobConflict: 1 } },
];

/** The auto-licensing answer shapes (no public client parses them). */
export const AUTOLICENSE_MATRIX: Array<{ name: string; variants: Partial<Variants> }> = [
  { name: 'autolicense-shape=services, license-status=status', variants: {} },
  {
    name: 'autolicense-shape=list, license-status=keyed',
    variants: { autolicenseShape: 'list', licenseStatusShape: 'keyed' },
  },
  {
    name: 'autolicense-shape=data, license-status=bare',
    variants: { autolicenseShape: 'data', licenseStatusShape: 'bare' },
  },
];

/**
 * `tenant-stats=ignored,stats-filter=license_type,msp-in-wide=yes,services-v2=403,job-conflict=2`
 * (any subset, any order). Throws a message naming the bad part.
 */
export function parseVariants(text: string): Partial<Variants> {
  const out: Partial<Variants> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value = ''] = part.split('=', 2).map((s) => s.trim()) as [string, string?];
    switch (key) {
      case 'tenant-stats':
        if (value !== 'scoped' && value !== 'ignored') throw new Error(`${part}: expected scoped or ignored`);
        out.tenantStats = value;
        break;
      case 'stats-filter':
        if (value !== 'service' && value !== 'license_type')
          throw new Error(`${part}: expected service or license_type`);
        out.statsFilter = value;
        break;
      case 'msp-in-wide':
        if (!['yes', 'no'].includes(value)) throw new Error(`${part}: expected yes or no`);
        out.mspInWide = value === 'yes';
        break;
      case 'services-v2': {
        const allowed = ['ok', '404', '401', '403', '405', '500'];
        if (!allowed.includes(value)) throw new Error(`${part}: expected one of ${allowed.join(', ')}`);
        out.servicesV2 = value === 'ok' ? 'ok' : (Number(value) as Variants['servicesV2']);
        break;
      }
      case 'job-conflict': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`${part}: expected 0..100`);
        out.jobConflict = n;
        break;
      }
      case 'autolicense-shape':
        if (!['services', 'list', 'data'].includes(value))
          throw new Error(`${part}: expected services, list or data`);
        out.autolicenseShape = value as Variants['autolicenseShape'];
        break;
      case 'license-status':
        if (!['status', 'keyed', 'bare'].includes(value))
          throw new Error(`${part}: expected status, keyed or bare`);
        out.licenseStatusShape = value as Variants['licenseStatusShape'];
        break;
      default:
        throw new Error(
          `unknown variant '${key}' (known: tenant-stats, stats-filter, msp-in-wide, services-v2, job-conflict, autolicense-shape, license-status)`,
        );
    }
  }
  return out;
}
