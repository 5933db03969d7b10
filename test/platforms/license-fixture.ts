/** Licenses, delivery items and target configs shared by the platform tests. */

import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import type { License, LicenseOperation } from '../../catalog/license.js';

/** Personal data that must never appear in an error message. */
export const HOLDER_NAME = '欧阳秀英';
export const HOLDER_ID = '370211199001011234';

export function sampleLicense(n: number, overrides: Partial<License> = {}): License {
  const serial = String(n).padStart(6, '0');
  return {
    identifier: `1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.${serial}.001.F`,
    number: `JY23702110${serial}`,
    type: { name: '食品经营许可证', code: '11370200MB1234567X001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' },
    issueDate: '2023-04-05',
    validFrom: '2023-04-05',
    validTo: n % 2 === 0 ? null : '2028-04-04',
    areaCode: '370211',
    holder: { name: HOLDER_NAME, idType: '111', id: HOLDER_ID },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售', '热食类食品制售'], address: '黄岛区长江中路1号' },
    ...overrides,
  };
}

export function deliveryItem(
  n: number,
  options: { version?: number; target?: string; operation?: LicenseOperation; license?: License } = {},
): DeliveryItem {
  const version = options.version ?? 1;
  const licenseId = `lic-${String(n).padStart(6, '0')}`;
  return {
    key: `${licenseId}:${version}:${options.target ?? 'province'}`,
    licenseId,
    version,
    operation: options.operation ?? 'issue',
    license: options.license ?? sampleLicense(n),
    signature: {
      algorithm: 'SM2-SM3',
      value: `30440220${'ab'.repeat(32)}`,
      digest: 'cd'.repeat(32),
      sealId: 'seal-01',
    },
  };
}

export function restConfig(url: string, overrides: Partial<RestJsonTargetConfig> = {}): RestJsonTargetConfig {
  return {
    kind: 'rest-json',
    url,
    auth: { scheme: 'none' },
    batchSize: 100,
    timeoutMs: 10_000,
    concurrency: 4,
    attempts: 8,
    ...overrides,
  };
}
