/**
 * A URL in an error's text (an HTTP client's failure, a gateway's redirect) carries what was sent
 * in its query, a holder's name among it percent-encoded (`?name=%E6%B5%8B…`) or as typed
 * (`?name=测试…`): no quote and no shape hid it, and it went out whole in an error's text and a
 * log line, decoded by anyone who reads it. A query value holding text other than ASCII, raw or
 * percent-encoded, is hidden now, and so is a percent-encoded run of such text elsewhere in a
 * URL (`/holders/%E6%B5%8B…`); ASCII values (`?mode=ro`, `?page=2`) stay, for a person to act on.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const NAME = '测试丙丁';
const ENCODED = encodeURIComponent(NAME);

describe('a name a URL encodes', () => {
  it('hides a query value holding encoded or raw text other than ASCII', () => {
    expect(
      safeErrorText(`request to https://gw.example.test/verify?name=${ENCODED}&type=1 failed: HTTP 502`),
    ).toBe('request to https://gw.example.test/verify?name=***&type=1 failed: HTTP 502');
    expect(safeErrorText(`GET /verify?type=1&name=${NAME}#top 404`)).toBe(
      'GET /verify?type=1&name=***#top 404',
    );
    expect(safeErrorText(`GET /verify?q=name%3D${ENCODED}%26x%3D1 404`)).toBe('GET /verify?q=*** 404');
  });

  it('hides an encoded run in a path', () => {
    expect(safeErrorText(`GET /holders/${ENCODED}/licenses 404`)).toBe('GET /holders/***/licenses 404');
  });

  it('keeps ASCII values and URLs without a query', () => {
    const text =
      'expected `ledger.url` without a query, got `sqlite://./data/ledger.db?mode=ro` at https://x.test/a%20b';
    expect(safeErrorText(text, { backticks: false })).toBe(text);
  });

  it('hides it in a log line, and again unchanged', () => {
    const text = `request to https://gw.example.test/verify?name=${ENCODED} failed`;
    const { logger, lines } = lineLogger();
    logger.error({ err: new Error(text) }, 'verify failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(ENCODED.slice(9));
    const once = safeErrorText(text);
    expect(safeErrorText(once)).toBe(once);
  });
});
