// Central's regional API gateways, one per cluster (the "Domain URLs" of Central's API Reference
// Guide; the names are listed in the README, "Configure a real gateway"). No imports: completion
// and the login prompt load this on the start-up path.

export const CLUSTERS: Record<string, string> = {
  'us-1': 'https://app1-apigw.central.arubanetworks.com',
  'us-2': 'https://apigw-prod2.central.arubanetworks.com',
  'us-east-1': 'https://apigw-us-east-1.central.arubanetworks.com',
  'us-west-4': 'https://apigw-uswest4.central.arubanetworks.com',
  'us-west-5': 'https://apigw-uswest5.central.arubanetworks.com',
  'eu-1': 'https://eu-apigw.central.arubanetworks.com',
  'eu-central-2': 'https://apigw-eucentral2.central.arubanetworks.com',
  'eu-central-3': 'https://apigw-eucentral3.central.arubanetworks.com',
  'ca-1': 'https://apigw-ca.central.arubanetworks.com',
  'cn-1': 'https://apigw.central.arubanetworks.com.cn',
  'apac-1': 'https://api-ap.central.arubanetworks.com',
  'apac-east-1': 'https://apigw-apaceast.central.arubanetworks.com',
  'apac-south-1': 'https://apigw-apacsouth.central.arubanetworks.com',
  'uae-north-1': 'https://apigw-uaenorth1.central.arubanetworks.com',
};
