// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * An Oracle source's `connection.tls` that node-oracledb thin mode cannot honour, or a built
 * address that would not carry it, is a config problem at the value at fault, as for an Oracle
 * front database (core/oracle-tls.ts): `config check` exits 2 at its line instead of `ok`, and
 * the source refuses it again as it opens (test/connectors/oracle-source-tls.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': PEM, 'client.pem': PEM, 'client.key': KEY_PEM };

/** VALID_CONFIG with an Oracle source whose `connection` holds `lines` (indented under it). */
const withOracle = (lines: string[]): string =>
  VALID_CONFIG.replace(
    'sources:\n',
    `sources:\n  oracle-food:\n    kind: oracle\n    connection:\n${lines.map((l) => `      ${l}\n`).join('')}`,
  );

const CA = 'ca: "${file:./ca.pem}"';
const CERT = 'cert: "${file:./client.pem}"';
const KEY = 'key: "${file:./client.key}"';

describe('an Oracle source with connection.tls, as the config loads', () => {
  it('tls.ca without a client certificate and key: a problem at tls.ca, naming the source', async () => {
    const { problems } = await problemsOf(withOracle(['host: db.example', 'tls:', `  ${CA}`]), {}, FILES);
    expect(problems.map((p) => p.path)).toEqual(['sources.oracle-food.connection.tls.ca']);
    expect(problems[0]?.message).toMatch(
      /^source oracle-food: `connection.tls.ca` needs `tls.cert` and `tls.key` on an Oracle source/,
    );
  });

  it('a client certificate and key without tls.ca: a problem at tls.cert', async () => {
    const text = withOracle(['host: db.example', 'tls:', `  ${CERT}`, `  ${KEY}`]);
    const { problems } = await problemsOf(text, {}, FILES);
    expect(problems.map((p) => p.path)).toEqual(['sources.oracle-food.connection.tls.cert']);
    expect(problems[0]?.message).toMatch(
      /^source oracle-food: `connection.tls.cert` and `tls.key` need `tls.ca`/,
    );
  });

  it('a service name from the environment carrying Easy Connect settings: a problem at database, not quoted', async () => {
    const text = withOracle([
      'host: db.example',
      'database: "${env:ORA_SERVICE}"',
      'tls:',
      `  ${CA}`,
      `  ${CERT}`,
      `  ${KEY}`,
    ]);
    const { problems } = await problemsOf(text, { ORA_SERVICE: 'ORCL?ssl_server_dn_match=off' }, FILES);
    expect(problems.map((p) => p.path)).toEqual(['sources.oracle-food.connection.database']);
    expect(problems[0]?.message).toMatch(
      /^source oracle-food: `connection.database` is not a plain service name/,
    );
    expect(problems[0]?.message).not.toContain('ORCL?');
  });

  it('a CA, a client certificate and its key load; thick mode, which reads sqlnet.ora, takes tls.ca alone', async () => {
    for (const lines of [
      ['host: db.example', 'database: ORCL', 'tls:', `  ${CA}`, `  ${CERT}`, `  ${KEY}`],
      ['host: db.example', 'thickMode: true', 'tls:', `  ${CA}`],
    ]) {
      const file = await writeConfig(withOracle(lines), FILES);
      const config = await loadConfig({ file, env: {} });
      expect(Object.keys(config.sources)).toContain('oracle-food');
    }
  });
});
