// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A platform's answer body quoted into an error names its credential in the platform's spelling:
 * camelCase (`{"accessToken":"…"}`, `{"refreshToken":"…"}`, `{"clientSecret":"…"}`, as many Java
 * gateways answer) or a bare `secret` (`{"appKey":"…","secret":"…"}`). Only the snake_case names
 * (`access_token`, `client_secret`) were known: the camelCase value went out whole, in the error,
 * what the ledger and Redis keep of it, and the log line.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** Made up, as a gateway issues one: letters of both cases and digits. */
const token = (): string => `eyJ${randomBytes(15).toString('base64url')}`;

describe("a credential in a platform's answer quoted into text, in the platform's spelling", () => {
  it('is hidden between its quotes, its key kept', () => {
    const t = token();
    for (const [text, hidden] of [
      [`HTTP 401: {"accessToken":"${t}"}`, 'HTTP 401: {"accessToken":"***"}'],
      [
        `HTTP 401: {"refreshToken": "${t}","expiresIn":7200}`,
        'HTTP 401: {"refreshToken": "***","expiresIn":7200}',
      ],
      [`{"idToken":"${t}"}`, '{"idToken":"***"}'],
      [`{"appKey":"lb-app","secret":"${t}"}`, '{"appKey":"lb-app","secret":"***"}'],
      [`{"clientSecret":"${t}"}`, '{"clientSecret":"***"}'],
      [`{"appSecret":"${t}"}`, '{"appSecret":"***"}'],
      [`{"access_token": "${t}"}`, '{"access_token": "***"}'],
      [`{"client_secret":"${t}"}`, '{"client_secret":"***"}'],
      [`GET /api?accessToken=${t}&page=2`, 'GET /api?accessToken=***&page=2'],
      [`POST /token client_id=lb&clientSecret=${t}`, 'POST /token client_id=lb&clientSecret=***'],
    ])
      expect(scrubSecrets(text as string)).toBe(hidden);
  });

  it("is hidden from an error's text, its line and a log line", () => {
    const t = token();
    const body = `{"code":401,"data":{"accessToken":"${t}","secret":"${t.slice(3)}"}}`;
    const e = new LicbridgeError(ErrorCodes.TARGET_AUTH, `target province: refused: ${body}`);
    expect(e.message).not.toContain(t.slice(3));
    expect(errorLine(e)).not.toContain(t.slice(3));
    expect(safeErrorText(body)).not.toContain(t.slice(3));
    const { logger, lines } = lineLogger();
    logger.warn({ answer: body }, `platform answered ${body}`);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(t.slice(3));
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      answer: '{"code":401,"data":{"accessToken":"***","secret":"***"}}',
    });
  });

  it('leaves names that only hold the word, and references', () => {
    for (const text of [
      '{"secretary":"office 3"}',
      '{"secretKeyId":"k-1"}',
      '{"nextPageToken":"eyJhbGciOi12345"}',
      '{"secret":"${env:APP_SECRET}"}',
      '{"secret":true}',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });
});
