/**
 * A target, its token endpoint or a remote signing server reached by plain `http://` on another
 * host sends licenses, holders' contacts, signatures and credentials unencrypted; `config check`
 * and `status` said nothing (only `tls:` beside such a URL was refused). Each is now a finding
 * naming the origin alone (no user info, path or query); loopback, where simulators run, is not.
 */
import { describe, expect, it } from 'vitest';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import type { Config } from '../../config/types.js';

const config = (extra: Record<string, unknown>) =>
  ({
    sources: {},
    signers: {},
    targets: {},
    queue: { redis: 'redis://127.0.0.1:6379' },
    ledger: { url: 'sqlite://:memory:' },
    ...extra,
  }) as unknown as Config;

const advice = (key: string) =>
  `travel unencrypted, and anyone on the network path can read, alter or answer them; use \`https://\` and put its CA in \`${key}.tls.ca\``;

describe('plain http to a host that is not loopback', () => {
  it('is one finding per target, token endpoint and remote signer, naming the origin only', () => {
    const found = insecureTlsSettings(
      config({
        targets: {
          province: {
            kind: 'rest-json',
            url: 'http://lbuser:lbpass@gw.province.example:8080/api/v1?token=s3cret',
            auth: { scheme: 'oauth2', tokenUrl: 'http://sso.example/oauth/token?client=x' },
          },
          city: { kind: 'soap-xml', url: 'http://10.20.0.5/ws/License' },
          sms: { kind: 'notify', url: 'http://sms.example/v2' },
          front: { kind: 'front-db', client: 'pg', connection: { host: 'front.example' } },
        },
        signers: { seal: { kind: 'remote', url: 'http://[2001:db8::5]:9000/sign' } },
      }),
      {},
    );
    expect(found).toEqual([
      `target province: plain http to http://gw.province.example:8080: licenses, the catalog \`licbridge catalog pull\` reads and the credentials ${advice('targets.province')}`,
      `target province auth: plain http to http://sso.example: the credentials ${advice('targets.province.auth')}`,
      `target city: plain http to http://10.20.0.5: licenses and the credentials ${advice('targets.city')}`,
      `target sms: plain http to http://sms.example: reminders with holders' phone numbers or app user ids, and the credentials ${advice('targets.sms')}`,
      `signer seal: plain http to http://[2001:db8::5]:9000: the digests to sign, the signatures and the credentials ${advice('signers.seal')}`,
    ]);
    const text = found.join('\n');
    for (const secret of ['lbuser', 'lbpass', '/api', 's3cret', '/oauth', 'client=', '/ws', '/v2', '/sign'])
      expect(text).not.toContain(secret);
  });

  it('a token endpoint on the target origin is the target line alone', () => {
    const found = insecureTlsSettings(
      config({
        targets: {
          province: {
            kind: 'rest-json',
            url: 'http://gw.province.example/api',
            auth: { scheme: 'oauth2', tokenUrl: 'http://gw.province.example/token' },
          },
        },
      }),
      {},
    );
    expect(found.map((f) => f.split(':')[0])).toEqual(['target province']);
  });

  it('says nothing of loopback (127.0.0.0/8, ::1, localhost) or https', () => {
    const urls = [
      'http://127.0.0.1:9',
      'http://127.8.9.10/x',
      'http://[::1]:8080',
      'http://[::ffff:127.0.0.1]:80',
      'http://localhost:4000',
      'http://LOCALHOST./api',
      'https://gw.province.example',
    ];
    for (const url of urls) {
      const found = insecureTlsSettings(
        config({
          targets: {
            t: { kind: 'rest-json', url, auth: { scheme: 'oauth2', tokenUrl: `${url}/token` } },
            n: { kind: 'notify', url },
          },
          signers: { s: { kind: 'remote', url } },
        }),
        {},
      );
      expect(found, url).toEqual([]);
    }
  });
});
