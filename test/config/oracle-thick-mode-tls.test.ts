// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * node-oracledb's thick mode is the whole process's once one source starts it
 * (`initOracleClient`): every other Oracle connection `run` opens (a source, a front database) is
 * thick too, and thick mode reads its wallet from sqlnet.ora, ignoring the `walletContent` made of
 * `tls.ca`, the client certificate and key, and the DN match. A `tls` written for thin mode next to
 * a thick-mode source is a config problem at its line, and refused as it opens in a thick process.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { LicbridgeError } from '../../core/errors.js';
import { oracleConnectionTls } from '../../core/oracle-tls.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const FILES = { 'data/keys/seal.key.pem': KEY_PEM, 'ca.pem': PEM, 'client.pem': PEM, 'client.key': KEY_PEM };
const TLS = '{ ca: "${file:./ca.pem}", cert: "${file:./client.pem}", key: "${file:./client.key}" }';

/** VALID_CONFIG with an 11g source in thick mode, and `extra` sources and `targets` lines. */
function withThick(sources: string[], targets: string[] = []): string {
  const thick =
    '  old-11g: { kind: oracle, connection: { host: old.example, database: ORCL, thickMode: true } }';
  return VALID_CONFIG.replace('sources:\n', `sources:\n${[thick, ...sources].join('\n')}\n`).replace(
    'targets:\n',
    `targets:\n${targets.map((t) => `${t}\n`).join('')}`,
  );
}

describe('thin-mode tls next to a thick-mode Oracle source, as the config loads', () => {
  it('an Oracle source with tls: a problem at its tls, naming the thick source, no value quoted', async () => {
    const text = withThick([
      `  new-19c: { kind: oracle, connection: { host: new.example, database: PDB1, tls: ${TLS} } }`,
    ]);
    const { problems } = await problemsOf(text, {}, FILES);
    expect(problems.map((p) => p.path)).toEqual(['sources.new-19c.connection.tls']);
    expect(problems[0]?.message).toMatch(
      /^source new-19c: `connection.tls` is written for node-oracledb thin mode, but source old-11g sets `connection.thickMode: true`/,
    );
    expect(problems[0]?.message).not.toContain('MIIB');
  });

  it('an Oracle front database with tls: a problem at its tls', async () => {
    const city = `  city: { kind: front-db, client: oracle, dataSource: "11370211MB1234567X", connection: { host: city.example, database: FRONT, tls: ${TLS} } }`;
    const { problems } = await problemsOf(withThick([], [city]), {}, FILES);
    expect(problems.map((p) => p.path)).toEqual(['targets.city.connection.tls']);
    expect(problems[0]?.message).toMatch(
      /^target city: `connection.tls` is written for node-oracledb thin mode/,
    );
  });

  it('a front database in thick mode (11g) makes the process thick too: a problem at a source tls', async () => {
    const city =
      '  city: { kind: front-db, client: oracle, dataSource: "11370211MB1234567X", connection: { host: city.example, database: FRONT, thickMode: true, tls: { ca: "${file:./ca.pem}" } } }';
    const source = `  new-19c: { kind: oracle, connection: { host: new.example, database: PDB1, tls: ${TLS} } }`;
    const text = VALID_CONFIG.replace('sources:\n', `sources:\n${source}\n`).replace(
      'targets:\n',
      `targets:\n${city}\n`,
    );
    const { problems } = await problemsOf(text, {}, FILES);
    // The front database's own tls.ca alone is thick mode's (sqlnet.ora), as for a source.
    expect(problems.map((p) => p.path)).toEqual(['sources.new-19c.connection.tls']);
    expect(problems[0]?.message).toMatch(
      /^source new-19c: `connection.tls` is written for node-oracledb thin mode, but target city sets/,
    );
  });

  it('loads a thin source without tls, and a source with tls that asks for thick mode itself', async () => {
    for (const source of [
      '  new-19c: { kind: oracle, connection: { host: new.example, database: PDB1 } }',
      '  new-19c: { kind: oracle, connection: { host: new.example, database: PDB1, thickMode: true, tls: { ca: "${file:./ca.pem}" } } }',
    ]) {
      const config = await loadConfig({ file: await writeConfig(withThick([source]), FILES), env: {} });
      expect(Object.keys(config.sources)).toContain('new-19c');
    }
  });
});

describe('thin-mode tls in a process thick mode has taken, as the connection opens', () => {
  const name = { label: 'target city', on: 'an Oracle front database', context: { target: 'city' } };
  const keys = { tls: { ca: PEM, cert: PEM, key: KEY_PEM } };
  const address = { host: 'city.example', port: 1521, database: 'FRONT' };

  it('is refused, nothing handed to the driver', () => {
    let error: unknown;
    try {
      oracleConnectionTls(name, address, keys, false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LicbridgeError);
    expect((error as LicbridgeError).code).toBe('LB_CONFIG_INVALID');
    expect((error as LicbridgeError).message).toMatch(
      /^target city: `connection.tls` is written for node-oracledb thin mode/,
    );
    expect((error as LicbridgeError).message).not.toContain('MIIB');
  });

  it('is taken from a connection that asks for thick mode; thin mode holds every connection to the wallet rules', () => {
    expect(
      oracleConnectionTls(name, { ...address, thickMode: true }, { tls: { ca: PEM } }, false),
    ).toMatchObject({
      connectString: 'tcps://city.example:1521/FRONT',
    });
    // `thickMode: true` on a connection the driver still serves thin (a front database starts no
    // thick mode): the wallet is used, so its rules hold, as the front database's config check says.
    expect(() =>
      oracleConnectionTls(name, { ...address, thickMode: true }, { tls: { ca: PEM } }, true),
    ).toThrow(/`connection.tls.ca` needs `tls.cert` and `tls.key`/);
  });
});
