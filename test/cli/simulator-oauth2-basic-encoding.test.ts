/**
 * `licbridge simulator province` stands in for a target whose OAuth2 client id and secret go
 * form-urlencoded in the HTTP Basic header (`auth.basicEncoding: form-urlencoded`). The command
 * passed the id and secret on but not the encoding: the simulator compared the header as written,
 * so a secret holding `+`, `/` or `%` sent as the target sends it was refused with 401, and a run
 * against the simulator failed where the platform took it.
 */
import { describe, expect, it } from 'vitest';
import { simulatorOptionsFor } from '../../cli/commands/simulator.js';
import type { Config } from '../../config/types.js';

const configWith = (auth: Record<string, unknown>): Readonly<Config> =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    targets: { province: { kind: 'rest-json', url: 'http://127.0.0.1:18080/api/licenses', auth } },
  }) as unknown as Readonly<Config>;

const oauth2 = (extra: Record<string, unknown>) => ({
  scheme: 'oauth2',
  tokenUrl: 'http://127.0.0.1:18080/oauth/token',
  clientId: 'lb',
  clientSecret: 'a+b/c=',
  refreshSkewSeconds: 60,
  ...extra,
});

describe('simulator province for an OAuth2 target', () => {
  it('reads the Basic header in the encoding the target sends it', () => {
    expect(simulatorOptionsFor(configWith(oauth2({ basicEncoding: 'form-urlencoded' })), 'province')).toEqual(
      {
        host: '127.0.0.1',
        port: 18080,
        basePath: '/api/licenses',
        oauth2: { clientId: 'lb', clientSecret: 'a+b/c=', basicEncoding: 'form-urlencoded' },
      },
    );
  });

  it('raw when the target sends it raw, or says nothing', () => {
    for (const extra of [{ basicEncoding: 'raw' }, {}]) {
      const options = simulatorOptionsFor(configWith(oauth2(extra)), 'province') as {
        oauth2: { basicEncoding?: string };
      };
      expect(options.oauth2.basicEncoding ?? 'raw').toBe('raw');
    }
  });
});
