/**
 * `licbridge simulator province` stands in for a config's rest-json target. It passed on HMAC
 * credentials only: for a target with OAuth2 or app key + md5 auth it ran open, accepting every
 * request, so a run against it passed whatever the client's token or signature handling did.
 * The simulator now checks the scheme the target uses, and refuses one it cannot check, or a
 * credential endpoint that is not its own, naming the target and the config file.
 */
import { describe, expect, it } from 'vitest';
import { simulatorOptionsFor } from '../../cli/commands/simulator.js';
import type { Config } from '../../config/types.js';
import { LicbridgeError } from '../../core/errors.js';

const URL_ = 'http://127.0.0.1:18080/api/licenses';
const configWith = (auth: Record<string, unknown>): Readonly<Config> =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    targets: { province: { kind: 'rest-json', url: URL_, auth } },
  }) as unknown as Readonly<Config>;

const refusal = (auth: Record<string, unknown>): string => {
  try {
    simulatorOptionsFor(configWith(auth), 'province');
  } catch (e) {
    expect(e).toBeInstanceOf(LicbridgeError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('simulator credentials from the target it stands in for', () => {
  it('HMAC and no auth as before', () => {
    expect(simulatorOptionsFor(configWith({ scheme: 'hmac', appKey: 'k', secret: 's' }), 'province')).toEqual(
      {
        host: '127.0.0.1',
        port: 18080,
        basePath: '/api/licenses',
        auth: { appKey: 'k', secret: 's' },
      },
    );
    expect(simulatorOptionsFor(configWith({ scheme: 'none' }), 'province')).toEqual({
      host: '127.0.0.1',
      port: 18080,
      basePath: '/api/licenses',
    });
  });

  it('OAuth2: the simulator issues and checks tokens for the target client', () => {
    const auth = {
      scheme: 'oauth2',
      tokenUrl: 'http://127.0.0.1:18080/oauth/token',
      clientId: 'lb',
      clientSecret: 'cs',
      refreshSkewSeconds: 60,
    };
    expect(simulatorOptionsFor(configWith(auth), 'province')).toEqual({
      host: '127.0.0.1',
      port: 18080,
      basePath: '/api/licenses',
      oauth2: { clientId: 'lb', clientSecret: 'cs' },
    });
  });

  it('app key + md5: the simulator checks signatures and hands out secrets', () => {
    const auth = { scheme: 'appkey-md5', appKey: 'k', secret: 's' };
    expect(simulatorOptionsFor(configWith(auth), 'province')).toEqual({
      host: '127.0.0.1',
      port: 18080,
      basePath: '/api/licenses',
      appkeyMd5: { appKey: 'k', secret: 's' },
    });
    expect(
      simulatorOptionsFor(
        configWith({ ...auth, refreshUrl: 'http://127.0.0.1:18080/auth/secret' }),
        'province',
      ),
    ).toMatchObject({ appkeyMd5: { appKey: 'k', secret: 's' } });
  });

  it('a credential endpoint elsewhere is refused, naming where the simulator serves it', () => {
    expect(
      refusal({
        scheme: 'oauth2',
        tokenUrl: 'https://idp.example/token',
        clientId: 'lb',
        clientSecret: 'cs',
        refreshSkewSeconds: 60,
      }),
    ).toBe(
      "simulator: target `province` in /etc/licbridge/licbridge.yaml fetches its credentials from https://idp.example/token; the simulator serves them at http://127.0.0.1:18080/oauth/token or http://127.0.0.1:18080/api/licenses/oauth/token (set the target's auth to that URL to run it against the simulator)",
    );
    expect(
      refusal({
        scheme: 'appkey-md5',
        appKey: 'k',
        secret: 's',
        refreshUrl: 'http://127.0.0.1:18080/secret',
      }),
    ).toContain('the simulator serves them at http://127.0.0.1:18080/auth/secret');
  });

  it('a scheme the simulator cannot check is refused rather than served open', () => {
    const message = refusal({ scheme: 'gateway', paasId: 'p', token: 'secret-token' });
    expect(message).toBe(
      'simulator: target `province` in /etc/licbridge/licbridge.yaml uses auth scheme `gateway`, which the province simulator does not check (it checks none, hmac, oauth2, appkey-md5)',
    );
    expect(message).not.toContain('secret-token');
  });
});
