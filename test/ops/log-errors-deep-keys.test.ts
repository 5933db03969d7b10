/**
 * What a caller hands the logger is not always shaped as REDACT_PATHS expects: an HTTP client's
 * error carries the whole request (an `Authorization` header, a body with a holder's data, the
 * raw header text), a platform's auth block nests its secret three levels down, a list of
 * endpoints holds a token in each entry, and Node's invalid-URL error keeps the URL, password
 * included. None of it may reach a log line; what says what failed (type, message, code,
 * context, cause) still does.
 */
import { randomBytes } from 'node:crypto';
import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
  });
  return { lines, logger };
}

const marker = (what: string): string => `M${randomBytes(6).toString('hex')}${what}`;

/** An error as axios makes it for a failed request: config, request and response on the error. */
function axiosError(token: string, holder: string): AxiosError {
  const headers = new AxiosHeaders({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
  const config = {
    url: 'https://platform.example/upload',
    method: 'post',
    headers,
    data: `{"czzt":"${holder}"}`,
  };
  const request = { _header: `POST /upload HTTP/1.1\r\nAuthorization: Bearer ${token}\r\n\r\n` };
  return new AxiosError('Request failed with status code 500', 'ERR_BAD_RESPONSE', config as never, request);
}

describe('the logger', () => {
  it.each(['err', 'error', 'detail'])('writes an HTTP client error under `%s` without its request', (key) => {
    const { lines, logger } = capture();
    const token = marker('token');
    const holder = marker('holder');
    logger.error({ [key]: axiosError(token, holder), nested: { e: axiosError(token, holder) } }, 'failed');
    const line = lines.join('');
    expect(line).not.toContain(token);
    expect(line).not.toContain(holder);
    const entry = JSON.parse(line) as Record<string, Record<string, unknown>>;
    expect(entry[key]).toMatchObject({
      type: 'AxiosError',
      message: 'Request failed with status code 500',
      code: 'ERR_BAD_RESPONSE',
    });
  });

  it('keeps a LicbridgeError code, context and cause, without the cause request', () => {
    const { lines, logger } = capture();
    const token = marker('token');
    const holder = marker('holder');
    const e = new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target p: upload failed', {
      retryable: true,
      context: { target: 'p' },
      cause: axiosError(token, holder),
    });
    logger.warn({ err: e }, 'deliver: failed');
    const line = lines.join('');
    expect(line).not.toContain(token);
    expect(line).not.toContain(holder);
    const entry = JSON.parse(line) as { err: Record<string, unknown> };
    expect(entry.err).toMatchObject({
      type: 'LicbridgeError',
      message: 'target p: upload failed',
      code: 'LB_TARGET_UNREACHABLE',
      retryable: true,
      context: { target: 'p' },
      cause: { type: 'AxiosError', code: 'ERR_BAD_RESPONSE' },
    });
  });

  it('never writes the URL an invalid-URL error keeps, password included', () => {
    const { lines, logger } = capture();
    const password = marker('pw');
    let thrown: unknown;
    try {
      new URL(`postgres://lb:${password}#x@db.internal/ledger`);
    } catch (e) {
      thrown = e;
    }
    logger.error({ err: thrown }, 'ledger: open failed');
    expect(lines.join('')).toContain('ERR_INVALID_URL');
    expect(lines.join('')).not.toContain(password);
  });

  it.each([
    'password',
    'Password',
    'PASSWORD',
    'sentinelPassword',
    'passphrase',
    'secret',
    'appSecret',
    'clientSecret',
    'client_secret',
    'token',
    'accessToken',
    'refresh_token',
    'Authorization',
    'authorization',
    'auth',
    'privateKey',
    'private_key',
    'apiKey',
    'x-api-key',
    'key',
    'Cookie',
    'set-cookie',
    'holder',
    'idNumber',
    'payload',
    'row',
    'values',
  ])('never writes `%s`, however deep and inside arrays', (field) => {
    const { lines, logger } = capture();
    const values = [marker('a'), marker('b'), marker('c'), marker('d'), marker('e')];
    const [top, deep, listed, bound, whole] = values as [string, string, string, string, string];
    logger.child({ target: 'p', options: { connect: { [field]: bound } } }).info(
      {
        [field]: top,
        a: { b: { c: { d: { [field]: deep } } } },
        endpoints: [{ url: 'https://a.example', [field]: listed }],
        settings: { [field]: { name: whole, id: whole } },
      },
      'probe',
    );
    const line = lines.join('');
    expect(JSON.parse(line)).toMatchObject({
      target: 'p',
      msg: 'probe',
      endpoints: [{ url: 'https://a.example' }],
    });
    for (const v of values) expect(line).not.toContain(v);
    expect(line).toContain('[redacted]');
  });

  it('keeps ordinary fields, dates and repeated objects, and cuts cycles', () => {
    const { lines, logger } = capture();
    const shared = { pipeline: 'food' };
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    logger.info({ at: new Date('2026-01-02T03:04:05Z'), a: shared, b: shared, cyclic, rows: 3 }, 'ok');
    expect(JSON.parse(lines.join(''))).toMatchObject({
      at: '2026-01-02T03:04:05.000Z',
      a: { pipeline: 'food' },
      b: { pipeline: 'food' },
      cyclic: { name: 'x', self: '[circular]' },
      rows: 3,
    });
  });
});
