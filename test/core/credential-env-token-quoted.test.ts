/**
 * A token or key under an environment variable's name written as a shell, a `.env` file or YAML
 * writes it: quoted (`GITHUB_TOKEN="ghp_…"`, `export AWS_SECRET_ACCESS_KEY='…'`), after a colon
 * (`GITHUB_TOKEN: ghp_…`), as JSON or Node prints `process.env`, in AWS's credentials file
 * (`aws_secret_access_key = …`), or under a key naming a secret key (`SECRET_KEY=`,
 * `DJANGO_SECRET_KEY=`, `SIGNING_KEY=`, `ENCRYPTION_KEY=`): only `NAME=value` unquoted was read,
 * so these stood whole in error text and log lines.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const CASES = [
  ['env GITHUB_TOKEN="ghp_abc123XYZ" set', 'ghp_abc123XYZ', 'env GITHUB_TOKEN="***" set'],
  ["env GITHUB_TOKEN='ghp_abc123XYZ' set", 'ghp_abc123XYZ', "env GITHUB_TOKEN='***' set"],
  [
    'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG"',
    'wJalrXUtnFEMI',
    'export AWS_SECRET_ACCESS_KEY="***"',
  ],
  ['GITHUB_TOKEN: ghp_abc123XYZ', 'ghp_abc123XYZ', 'GITHUB_TOKEN: ***'],
  ['GATEWAY_API_KEY: "k3y.Ab9"', 'k3y.Ab9', 'GATEWAY_API_KEY: "***"'],
  ['{"GITHUB_TOKEN":"ghp_abc123XYZ"}', 'ghp_abc123XYZ', '{"GITHUB_TOKEN":"***"}'],
  [
    "{ HOME: '/srv', GITHUB_TOKEN: 'ghp_abc123XYZ' }",
    'ghp_abc123XYZ',
    "{ HOME: '/srv', GITHUB_TOKEN: '***' }",
  ],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI', 'aws_secret_access_key = ***'],
  ['SECRET_KEY=django-insecure-8z!x9q', 'insecure-8z', 'SECRET_KEY=***'],
  ['DJANGO_SECRET_KEY=Dj4ngo$ecret9', 'Dj4ngo', 'DJANGO_SECRET_KEY=***'],
  ['SIGNING_KEY=s1gn.Key9', 's1gn.Key9', 'SIGNING_KEY=***'],
  ['ENCRYPTION_KEY=3ncKey+9/x=', '3ncKey', 'ENCRYPTION_KEY=***'],
] as const;

describe("a token or key under an environment variable's name, quoted or after a colon", () => {
  it('is hidden, the name and the quotes kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which parses", () => {
    const { logger, lines } = lineLogger();
    for (const [text, value] of CASES) {
      expect(safeErrorText(text)).not.toContain(value);
      logger.warn({ env: text }, `spawn failed: ${text}`);
    }
    expect(lines.length).toBe(CASES.length);
    lines.forEach((line, i) => {
      const value = (CASES[i] as readonly string[])[1] as string;
      const entry = JSON.parse(line) as { env: string; msg: string };
      expect(entry.env).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });

  it('leaves a plain word after a colon, names in other cases, and keys naming no secret', () => {
    for (const text of [
      'GITHUB_TOKEN: missing',
      'SECRET_KEY: expired',
      'nextPageToken: abc123',
      'page_token="abc123"',
      'CSRF_TOKEN_NAME="x-csrf"',
      'primary_key=id',
      'public_key=ssh-ed25519',
      'secret_key_id=k1',
      'WHERE secret_key = ?',
      'PASSWORD_CHANGED_AT=2024-01-05',
      'password: expired',
      'token: 12345',
      'WHERE password_hash = ?',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of one long name', () => {
    expect(scrubSecrets(`${'A_'.repeat(100_000)}TOKEN="x9"`)).toContain('TOKEN=');
    expect(scrubSecrets(`${'a_'.repeat(100_000)}secret_key = x9`)).toContain('secret_key');
  });
});
