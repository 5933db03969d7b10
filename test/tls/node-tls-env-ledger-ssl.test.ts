/**
 * `ssl=` in a PostgreSQL `ledger.url` decides the ledger's TLS as `sslmode` does
 * (pg-connection-string): `ssl=true` (or `1`, or any other word but `0`) turns TLS on and leaves
 * its verification to Node, `ssl=0` turns it off, and either way `PGSSLMODE` is not read. The
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` finding named neither: a ledger with `ssl=true` went unnamed,
 * and one with `ssl=0` was said to be reached through `PGSSLMODE`.
 */
import { describe, expect, it } from 'vitest';
import { nodeTlsEnvironmentFinding } from '../../config/tls-environment.js';
import type { Config } from '../../config/types.js';

const config = (url: string) => ({ sources: {}, targets: {}, ledger: { url } }) as unknown as Config;
const on = { NODE_TLS_REJECT_UNAUTHORIZED: '0' };

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 and `ssl=` in ledger.url', () => {
  it('names a ledger whose URL turns TLS on with ssl=true', () => {
    for (const ssl of ['true', '1']) {
      expect(nodeTlsEnvironmentFinding(config(`postgres://l@db/licbridge?ssl=${ssl}`), on)).toContain(
        `for the ledger (\`ssl=${ssl}\` in \`ledger.url\`), whose driver`,
      );
    }
  });

  it('does not name a ledger whose URL turns TLS off with ssl=0, whatever PGSSLMODE says', () => {
    const finding = nodeTlsEnvironmentFinding(config('postgres://l@db/licbridge?ssl=0'), {
      ...on,
      PGSSLMODE: 'require',
    });
    expect(finding).toMatch(
      /^environment: NODE_TLS_REJECT_UNAUTHORIZED=0 is set: no connection of this config/,
    );
  });

  it('sslmode decides over ssl=, as the driver reads them', () => {
    expect(
      nodeTlsEnvironmentFinding(config('postgres://l@db/licbridge?ssl=0&sslmode=require'), on),
    ).toContain('for the ledger (`sslmode=require` in `ledger.url`)');
  });
});
