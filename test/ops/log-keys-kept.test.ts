/**
 * Redaction by key name must not hide what an operator has to fix: a key that only starts with a
 * secret's word names something about the secret (where a token is fetched, which variable holds a
 * passphrase), and a driver error's own code says what failed.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
  });
  return { lines, logger };
}

describe('the logger keeps what says what to fix', () => {
  it.each([
    ['tokenUrl', 'https://auth.example/oauth/token'],
    ['tokenExpiresInSec', 7200],
    ['authorizationEndpoint', 'https://auth.example/authorize'],
    ['secretRef', 'env:APP_SECRET'],
    ['credentialsFile', '/etc/licbridge/creds.json'],
    ['keyColumn', 'ZJHM'],
    ['sealId', 'seal-01'],
    ['idType', '111'],
  ])('writes `%s` as it is, however deep', (field, value) => {
    const { lines, logger } = capture();
    logger.info({ [field]: value, target: { auth: { scheme: 'oauth2' }, deep: { [field]: value } } }, 'x');
    const line = JSON.parse(lines.join(''));
    expect(line[field]).toBe(value);
    expect(line.target.deep[field]).toBe(value);
  });

  it('still redacts the secrets those names are about', () => {
    const { lines, logger } = capture();
    logger.info({ accessToken: 'T0k3nValue', clientSecret: 'S3cretValue', tokens: ['T0k3nB'] }, 'x');
    const line = lines.join('');
    for (const v of ['T0k3nValue', 'S3cretValue', 'T0k3nB']) expect(line).not.toContain(v);
  });

  it("keeps a database driver's own error code", () => {
    const { lines, logger } = capture();
    const mysql = Object.assign(new Error('Duplicate entry'), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
    });
    const mssql = Object.assign(new Error('Violation of PRIMARY KEY'), { code: 'EREQUEST', number: 2627 });
    const oracle = Object.assign(new Error('ORA-00001: unique constraint violated'), { errorNum: 1 });
    logger.error({ mysql, mssql, oracle }, 'insert failed');
    const line = JSON.parse(lines.join(''));
    expect(line.mysql).toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' });
    expect(line.mssql).toMatchObject({ code: 'EREQUEST', number: 2627 });
    expect(line.oracle).toMatchObject({ errorNum: 1 });
  });
});
