/**
 * A token or key under an environment variable's name, as an environment dump or a command line
 * writes it (`GITHUB_TOKEN=…`, `GATEWAY_API_KEY=…`, `AWS_SECRET_ACCESS_KEY=…`): a token's key had
 * to be the whole name (`nextPageToken=`, `lease_token` name no credential), so these stood whole
 * in error text and log lines. A name in upper case, words joined by `_`, ending in one of them is
 * an environment variable's, and its value is hidden.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const CASES = [
  ['env: GITHUB_TOKEN=ghp_abc123XYZ home=/srv', 'ghp_abc123XYZ', 'env: GITHUB_TOKEN=*** home=/srv'],
  ['GATEWAY_API_KEY=k3y.Ab9 node cli.js', 'k3y.Ab9', 'GATEWAY_API_KEY=*** node cli.js'],
  ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI', 'AWS_SECRET_ACCESS_KEY=***'],
  ['OSS_ACCESS_KEY_SECRET=Oss9secret', 'Oss9secret', 'OSS_ACCESS_KEY_SECRET=***'],
] as const;

describe("a token under an environment variable's name", () => {
  it('is hidden, the name kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which parses", () => {
    const { logger, lines } = lineLogger();
    for (const [text, value] of CASES) {
      expect(safeErrorText(text)).not.toContain(value);
      logger.warn({ env: text }, `spawn failed: ${text}`);
    }
    lines.forEach((line, i) => {
      const value = (CASES[i] as readonly string[])[1] as string;
      const entry = JSON.parse(line) as { env: string; msg: string };
      expect(entry.env).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });

  it('leaves names in other cases and a token that is no credential', () => {
    for (const text of [
      'nextPageToken=abc123',
      'lease_token=abc123',
      'page_token=abc123',
      'CSRF_TOKEN_NAME=x-csrf',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of one long name', () => {
    expect(scrubSecrets(`${'A_'.repeat(100_000)}TOKEN=x9`)).toContain('TOKEN=');
  });
});
