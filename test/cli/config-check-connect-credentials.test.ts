// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * `config check --connect` locates each failure at its config entry with the driver's or the
 * platform's own words (pipelines/config-check.ts: a stream's check, a target kind's check), and
 * the CLI prints them as config problems: values from config references replaced, numbers masked
 * by shape. A credential those words echo without a reference naming it (a gateway quoting the
 * `Authorization` header it refused, a driver quoting its connection string) was printed whole.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { printedError } from './printed-error.js';

const token = `eyJ${randomBytes(12).toString('base64url')}.${randomBytes(18).toString('base64url')}`;
const password = `Pw${randomBytes(9).toString('base64url')}`;

describe('config check --connect and a credential in a driver or platform error', () => {
  it('prints the problem with the credential hidden, its place and words kept', () => {
    const problems = [
      {
        file: 'licbridge.yaml',
        line: 40,
        column: 5,
        path: 'targets.province',
        message: `target province: HTTP 401: {"message":"bad token","Authorization":"Bearer ${token}"}`,
      },
      {
        file: 'licbridge.yaml',
        line: 12,
        column: 7,
        path: 'pipelines.food.stream',
        message: `Login failed: Server=legacy;User Id=lb;Password=${password};Database=SPXK`,
      },
    ];
    const { code, text } = printedError(new ConfigError(problems));
    expect(code).toBe(2);
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    expect(text).toContain('licbridge.yaml:40:5: targets.province: target province: HTTP 401: ');
    expect(text).toContain('"Authorization":"Bearer ***"');
    expect(text).toContain('Password=***;Database=SPXK');
  });

  it("prints a problem under a credential's key with the reference to fix and the words after it", () => {
    const problems = [
      {
        file: 'licbridge.yaml',
        line: 9,
        column: 15,
        path: 'queue.password',
        message: '`${env:1REDIS_PW}`: not a valid environment variable name',
      },
      {
        file: 'licbridge.yaml',
        line: 31,
        column: 9,
        path: 'targets.province.auth.token',
        message: 'expected a reference',
      },
      {
        file: 'licbridge.yaml',
        line: 33,
        column: 9,
        path: 'targets.province.auth.tokenUrl',
        message: 'https://gw.example.gov.cn/oauth/token: CERT_HAS_EXPIRED',
      },
    ];
    const { text } = printedError(new ConfigError(problems));
    expect(text).toContain(
      'licbridge.yaml:9:15: queue.password: `${env:1REDIS_PW}`: not a valid environment variable name',
    );
    expect(text).toContain('licbridge.yaml:31:9: targets.province.auth.token: expected a reference');
    expect(text).toContain(
      'licbridge.yaml:33:9: targets.province.auth.tokenUrl: https://gw.example.gov.cn/oauth/token: CERT_HAS_EXPIRED',
    );
  });
});
