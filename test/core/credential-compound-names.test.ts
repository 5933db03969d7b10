/**
 * A password under a longer name, as an environment dump or a command line writes it
 * (`db_password=…`, `PGPASSWORD=…` for psql, `MYSQL_PWD=…` for mysql, `--password=…`): the key
 * had to be the whole name, so these stood whole in error text and log lines. Names of tokens
 * keep that rule (`lease_token = $3`, `nextPageToken=` stay).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { errorLine } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const CASES = [
  ['env: db_password=Sup3rS3cret! host=db', 'Sup3rS3cret!', 'env: db_password=*** host=db'],
  ['spawn: PGPASSWORD=Pg5ecret! psql -h db', 'Pg5ecret!', 'spawn: PGPASSWORD=*** psql -h db'],
  ['MYSQL_PWD=My5ecret! mysql -u lb', 'My5ecret!', 'MYSQL_PWD=*** mysql -u lb'],
  ['mysqldump --password=Dump9pw lic', 'Dump9pw', 'mysqldump --password=*** lic'],
  [
    'client_secret=Cl1entSec&grant_type=client_credentials',
    'Cl1entSec',
    'client_secret=***&grant_type=client_credentials',
  ],
  ['OAUTH_CLIENT_SECRET=Oc9secret', 'Oc9secret', 'OAUTH_CLIENT_SECRET=***'],
  ['apiKey=ApiK3y123 page=2', 'ApiK3y123', 'apiKey=*** page=2'],
  ["ORACLE_PASSWORD='Or 4cle'", 'Or 4cle', "ORACLE_PASSWORD='***'"],
] as const;

describe('a password under a longer name', () => {
  it('is hidden, the name kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and line", () => {
    for (const [text, value] of CASES) {
      expect(safeErrorText(text)).not.toContain(value);
      expect(errorLine(new Error(text))).not.toContain(value);
    }
  });

  it('is hidden in a log line, as its message and as a field, and the line parses', () => {
    const { logger, lines } = lineLogger();
    for (const [text] of CASES) logger.warn({ env: text }, `child failed: ${text}`);
    expect(lines.length).toBe(CASES.length);
    lines.forEach((line, i) => {
      const value = (CASES[i] as readonly string[])[1] as string;
      const entry = JSON.parse(line) as { env: string; msg: string };
      expect(entry.env).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });

  it('leaves names that only start like one, tokens under longer names and placeholders', () => {
    for (const text of [
      'password_policy=strict',
      'lease_token = $3',
      'nextPageToken=abc123',
      'db_password = $1',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of one long name', () => {
    expect(scrubSecrets(`${'a_'.repeat(100_000)}password=x9`)).toContain('password=');
    expect(scrubSecrets('db_password'.repeat(18_000))).toContain('db_password');
  });
});
