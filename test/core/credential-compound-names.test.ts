/**
 * A password under a longer name, as an environment dump or a command line writes it
 * (`db_password=…`, `PGPASSWORD=…` for psql, `MYSQL_PWD=…` for mysql, `--password=…`): the key
 * had to be the whole name, so these stood whole in error text and log lines. Names of tokens
 * keep that rule (`lease_token = $3`, `nextPageToken=` stay).
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { hiddenInErrorsAndLogLines } from './hidden-everywhere.js';

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

  hiddenInErrorsAndLogLines(CASES, 'env', (text) => `child failed: ${text}`);

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
