// The services catalog (what `GET .../services/config` answers) and which devices each fits.

export interface ServiceConfig {
  service_category: string;
  device_type: string;
  display_name: string;
}

export type DeviceType = 'IAP' | 'SWITCH' | 'CONTROLLER';

const entries: Array<[string, string, string, string]> = [
  ['dm', 'dm', 'ALL', 'Device Management'],
  ['pa', 'pa', 'ALL', 'Presence Analytics'],
  ['ucc', 'ucc', 'ALL', 'Unified Communications'],
  ['foundation_ap', 'foundation', 'IAP', 'Foundation AP'],
  ['advanced_ap', 'advanced', 'IAP', 'Advanced AP'],
  ['foundation_switch_6100', 'foundation', 'SWITCH', 'Foundation Switch 6100'],
  ['foundation_switch_6200', 'foundation', 'SWITCH', 'Foundation Switch 6200'],
  ['foundation_switch_6300', 'foundation', 'SWITCH', 'Foundation Switch 6300'],
  ['foundation_switch_6400', 'foundation', 'SWITCH', 'Foundation Switch 6400'],
  ['foundation_switch_8400', 'foundation', 'SWITCH', 'Foundation Switch 8400'],
  ['advanced_switch_6100', 'advanced', 'SWITCH', 'Advanced Switch 6100'],
  ['advanced_switch_6200', 'advanced', 'SWITCH', 'Advanced Switch 6200'],
  ['advanced_switch_6300', 'advanced', 'SWITCH', 'Advanced Switch 6300'],
  ['advanced_switch_6400', 'advanced', 'SWITCH', 'Advanced Switch 6400'],
  ['foundation_70xx', 'foundation', 'CONTROLLER', 'Foundation 70xx Gateway'],
  ['advance_70xx', 'advanced', 'CONTROLLER', 'Advanced 70xx Gateway'],
  ['foundation_72xx', 'foundation', 'CONTROLLER', 'Foundation 72xx Gateway'],
  ['advance_72xx', 'advanced', 'CONTROLLER', 'Advanced 72xx Gateway'],
  ['foundation_90xx_sec', 'foundation', 'CONTROLLER', 'Foundation 90xx Gateway with Security'],
  ['advance_90xx_sec', 'advanced', 'CONTROLLER', 'Advanced 90xx Gateway with Security'],
  ['foundation_wlan_gw', 'foundation', 'CONTROLLER', 'Foundation WLAN Gateway'],
  ['vgw_500m', 'vgw', 'VGW', 'Virtual Gateway 500 Mbps'],
  ['vgw_2g', 'vgw', 'VGW', 'Virtual Gateway 2 Gbps'],
  ['vgw_4g', 'vgw', 'VGW', 'Virtual Gateway 4 Gbps'],
  // GreenLake services that share the catalog but are not licensable on Central devices.
  ['storage_alletra_6k', 'storage', 'STORAGE', 'HPE Alletra 6000'],
  ['hciaas_baas', 'hciaas', 'HCI', 'HCI Backup as a Service'],
  ['k8s_ezmeral', 'container', 'K8S', 'HPE Ezmeral Runtime'],
  ['zerto_dr', 'dr', 'VM', 'Zerto Disaster Recovery'],
  ['proliant_compute', 'compute', 'SERVER', 'HPE ProLiant Compute Ops'],
  ['compute_vm_cloud', 'compute', 'VM', 'Compute VM Cloud'],
];

export const SERVICE_NAMES: readonly string[] = entries.map((e) => e[0]);

export function serviceCatalog(): Record<string, ServiceConfig> {
  const out: Record<string, ServiceConfig> = {};
  for (const [name, service_category, device_type, display_name] of entries) {
    out[name] = { service_category, device_type, display_name };
  }
  return out;
}

export function isService(name: string): boolean {
  return SERVICE_NAMES.includes(name);
}

const gatewayFamilies: Record<string, string> = {
  foundation_70xx: '70',
  advance_70xx: '70',
  foundation_72xx: '72',
  advance_72xx: '72',
  foundation_90xx_sec: '90',
  advance_90xx_sec: '90',
};

/** Whether `service` can be licensed on `device` (pure). */
export function eligible(service: string, device: { device_type: string; model: string }): boolean {
  if (service === 'foundation_ap' || service === 'advanced_ap') return device.device_type === 'IAP';
  const sw = /^(?:foundation|advanced)_switch_(\d{4})$/.exec(service);
  if (sw) return device.device_type === 'SWITCH' && device.model.startsWith(sw[1] as string);
  const family = gatewayFamilies[service];
  if (family) return device.device_type === 'CONTROLLER' && device.model.startsWith(family);
  return false;
}

const eligibleCache = new Map<string, readonly string[]>();

/** Every service that fits a device of this type and model (memoised: there are few models). */
export function eligibleServices(device: { device_type: string; model: string }): readonly string[] {
  const key = device.device_type + '|' + device.model;
  let list = eligibleCache.get(key);
  if (!list) {
    list = SERVICE_NAMES.filter((s) => eligible(s, device));
    eligibleCache.set(key, list);
  }
  return list;
}

/** Which service a device type maps to in `device_type` filters of the subscriptions list. */
export function serviceDeviceType(service: string): string | undefined {
  return entries.find((e) => e[0] === service)?.[2];
}
