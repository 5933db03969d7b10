/**
 * A simulator stands in for a config's target on the target URL's port. An https URL with no port
 * (`https://platform.example/api`) was served on port 80, where the target never connects: the
 * port an https URL means is 443, for the province simulator and the notify gateway's alike.
 */
import { describe, expect, it } from 'vitest';
import { gatewayStandInOptions, simulatorOptionsFor } from '../../cli/commands/simulator.js';
import type { Config } from '../../config/types.js';

const configWith = (kind: string, url: string): Readonly<Config> =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    targets: { t: { kind, url, auth: { scheme: 'none' } } },
  }) as unknown as Readonly<Config>;

describe('the port a simulator takes from its target URL', () => {
  it.each([
    ['https://127.0.0.1/api/licenses', 443],
    ['http://127.0.0.1/api/licenses', 80],
    ['https://127.0.0.1:8443/api/licenses', 8443],
  ])('%s → %i', (url, port) => {
    // A simulator serves an https url with the certificate given (it is refused without one).
    const tls = url.startsWith('https:') ? { cert: 'cert', key: 'key' } : undefined;
    const expected = { host: '127.0.0.1', port, basePath: '/api/licenses', ...(tls ? { tls } : {}) };
    expect(simulatorOptionsFor(configWith('rest-json', url), 't', tls)).toEqual(expected);
    expect(gatewayStandInOptions(configWith('notify', url), 't', tls)).toEqual(expected);
  });
});
