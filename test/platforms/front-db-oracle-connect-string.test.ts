/**
 * The TCPS address of an Oracle front database built from `host`, `port` and `database`
 * (`tcps://host:port/database`). node-oracledb reads it as an Easy Connect string, whose
 * `?name=value` settings come after the service name: a `database` of
 * `ORCL?ssl_server_dn_match=off` turned off the server's host check that `connection.tls` promises,
 * while `config check` and `status`, which look for `insecureSkipVerify`, said the connection was
 * verified. A host or service name with characters Easy Connect gives a meaning is refused, naming
 * the key; a written `connectString` is the user's own and kept as written.
 */
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { loadConfig } from '../../config/loader.js';
import { LicbridgeError } from '../../core/errors.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const tls = {
  ca: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----',
  cert: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----',
  key: 'KEY',
};

function refusal(connection: Record<string, unknown>): LicbridgeError | undefined {
  try {
    driverConnection('city', 'oracle', { ...connection, tls });
  } catch (e) {
    if (e instanceof LicbridgeError) return e;
    throw e;
  }
  return undefined;
}

describe('the TCPS address of an Oracle front database', () => {
  it('is built from a plain host name, IP address and service name', () => {
    expect(
      driverConnection('city', 'oracle', { host: 'db.city.gov.cn', database: 'ORCLPDB1.city', tls }),
    ).toMatchObject({
      connectString: 'tcps://db.city.gov.cn:1521/ORCLPDB1.city',
    });
    expect(
      driverConnection('city', 'oracle', { host: '10.1.2.3', port: 2484, database: 'XE', tls }),
    ).toMatchObject({
      connectString: 'tcps://10.1.2.3:2484/XE',
    });
    expect(driverConnection('city', 'oracle', { host: '[fd00::5]', database: 'XE', tls })).toMatchObject({
      connectString: 'tcps://[fd00::5]:1521/XE',
    });
  });

  for (const [key, value] of [
    ['database', 'ORCL?ssl_server_dn_match=off'],
    ['database', 'ORCL?wallet_location=/tmp/w'],
    ['database', 'ORCL/extra'],
    ['host', 'db.example?ssl_server_dn_match=false'],
    ['host', 'db.example/ORCL?ssl_server_dn_match=no&x'],
    ['host', '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521)))'],
    ['host', 'db.example,other.example'],
  ] as const) {
    it(`refuses ${key} \`${value}\`, naming the key`, () => {
      const e = refusal({ host: 'db.example', database: 'ORCL', [key]: value });
      expect(e?.code).toBe('LB_CONFIG_INVALID');
      expect(e?.message).toMatch(new RegExp(`^target city: \`connection\\.${key}\` .*connectString`));
      // The value itself is not repeated: it may come from ${env:…}.
      expect(e?.message).not.toContain(value);
    });
  }

  for (const connectString of [
    'db.example:1521/ORCL',
    'tcp://db.example:1521/ORCL',
    '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))',
    '(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=2484))(ADDRESS=(PROTOCOL=tcp)(HOST=b)(PORT=1521)))(CONNECT_DATA=(SERVICE_NAME=ORCL)))',
    '(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))',
    // An ADDRESS without PROTOCOL is TCP (node-oracledb's default), next to a TCPS one.
    '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=2484))(ADDRESS=(HOST=b)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))',
  ]) {
    it(`refuses a written connectString speaking plain TCP with tls set: ${connectString.slice(0, 40)}…`, () => {
      const e = refusal({ connectString });
      expect(e?.code).toBe('LB_CONFIG_INVALID');
      expect(e?.message).toMatch(/^target city: expected `connection.connectString` to speak TCPS/);
      expect(e?.message).not.toContain('db');
    });
  }

  it('takes a written connectString speaking TCPS, and an alias tnsnames.ora resolves', () => {
    for (const connectString of [
      'TCPS://db.example:2484/ORCL',
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=ORCL)))',
      'CITY_FRONT',
    ]) {
      expect(driverConnection('city', 'oracle', { connectString, tls }).connectString).toBe(connectString);
    }
  });

  it('keeps a written connectString as written', () => {
    const connectString = 'tcps://db.example:2484/ORCL?ssl_server_cert_dn="CN=db"';
    expect(driverConnection('city', 'oracle', { connectString, database: 'a?b', tls }).connectString).toBe(
      connectString,
    );
  });
});

describe('an Oracle front database with tls and a service name carrying settings, as the config loads', () => {
  it('takes a host and service name from environment references, checked as resolved', async () => {
    const text = `${VALID_CONFIG}  city-front:\n    kind: front-db\n    client: oracle\n    dataSource: 11370211MB1234567X\n    connection:\n      host: "\${env:ORA_HOST}"\n      database: "\${env:ORA_SERVICE}"\n      tls:\n        minVersion: TLSv1.2\n`;
    const file = await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: { ORA_HOST: 'db.city.gov.cn', ORA_SERVICE: 'ORCLPDB1' } });
    expect(config.targets['city-front']).toMatchObject({ connection: { database: 'ORCLPDB1' } });
    const { problems } = await problemsOf(text, {
      ORA_HOST: 'db.city.gov.cn',
      ORA_SERVICE: 'X?ssl_server_dn_match=0',
    });
    expect(problems.map((p) => p.path)).toEqual(['targets.city-front.connection.database']);
  });

  it('is a config problem at connection.database, naming the target', async () => {
    const text = `${VALID_CONFIG}  city-front:\n    kind: front-db\n    client: oracle\n    dataSource: 11370211MB1234567X\n    connection:\n      host: db.example\n      database: "ORCL?ssl_server_dn_match=off"\n      tls:\n        minVersion: TLSv1.2\n`;
    const { problems } = await problemsOf(text, {}, { 'data/keys/seal.key.pem': KEY_PEM });
    expect(problems.map((p) => p.path)).toEqual(['targets.city-front.connection.database']);
    expect(problems[0]?.message).toMatch(
      /^target city-front: `connection.database` is not a plain service name/,
    );
  });
});
