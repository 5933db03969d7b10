/**
 * Two target entries naming one platform: a pipeline delivering to either delivers there, and its
 * own check compares its licenses at that platform (pipelines/reconcile/reconcile.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LoadedTargetConfig } from '../../config/target-types.js';
import { samePlatform } from '../../pipelines/reconcile/same-platform.js';

const target = (o: Record<string, unknown>): LoadedTargetConfig => o as unknown as LoadedTargetConfig;
const rest = (url: string, more: Record<string, unknown> = {}) =>
  target({ kind: 'rest-json', url, auth: { scheme: 'none' }, ...more });
const front = (connection: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  target({ kind: 'front-db', client: 'mysql', connection, table: 'UP_LIC_DATA', ...more });

describe('samePlatform', () => {
  it('takes one base URL in any spelling for one platform, whatever the auth', () => {
    const a = rest('https://gov.example.cn/api', {
      auth: { scheme: 'oauth2', tokenUrl: 'https://gov.example.cn/token', scope: 'a' },
    });
    const b = rest('HTTPS://Gov.Example.CN:443/api/', {
      auth: { scheme: 'oauth2', tokenUrl: 'https://gov.example.cn/token', scope: 'b' },
    });
    expect(samePlatform(a, b)).toBe(true);
    expect(samePlatform(rest('http://127.0.0.1:8080'), rest('http://127.0.0.1:8080/'))).toBe(true);
  });

  it('takes one target entry for its own platform, whatever its kind holds', () => {
    // A kind with no url and no database (none delivers today): the entry is still itself.
    const own = target({ kind: 'notify', gateway: 'sms' });
    expect(samePlatform(own, own)).toBe(true);
    expect(samePlatform(undefined, undefined)).toBe(false);
  });

  it('tells apart another host, port, path or kind', () => {
    const a = rest('https://gov.example.cn/api');
    expect(samePlatform(a, rest('https://city.example.cn/api'))).toBe(false);
    expect(samePlatform(a, rest('https://gov.example.cn:8443/api'))).toBe(false);
    expect(samePlatform(a, rest('https://gov.example.cn/api/v2'))).toBe(false);
    expect(samePlatform(a, rest('http://gov.example.cn/api'))).toBe(false);
    expect(samePlatform(a, target({ kind: 'soap-xml', url: 'https://gov.example.cn/api' }))).toBe(false);
    expect(samePlatform(a, undefined)).toBe(false);
  });

  it('takes a front database by its connection and exchange table', () => {
    const at = { host: 'db.example.cn', port: 3306, database: 'front', user: 'lb', password: 'x' };
    expect(
      samePlatform(front(at), front({ ...at, host: 'DB.example.cn', port: '3306', password: 'y' })),
    ).toBe(true);
    expect(samePlatform(front(at), front(at, { table: 'UP_LIC_DATA_2' }))).toBe(false);
    expect(samePlatform(front(at), front({ ...at, database: 'front2' }))).toBe(false);
    expect(samePlatform(front(at), front({ ...at, host: 'db2.example.cn' }))).toBe(false);
    expect(samePlatform(front(at), front(at, { client: 'postgres' }))).toBe(false);
    const file = target({ kind: 'front-db', client: 'sqlite', path: './data/front.db' });
    expect(samePlatform(file, target({ kind: 'front-db', client: 'sqlite', path: './data/front.db' }))).toBe(
      true,
    );
    expect(samePlatform(file, target({ kind: 'front-db', client: 'sqlite', path: './data/other.db' }))).toBe(
      false,
    );
  });
});
