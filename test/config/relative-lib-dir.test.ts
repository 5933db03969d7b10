/**
 * Relative paths in the config are relative to the config file, and an Oracle Instant Client
 * folder (`connection.libDir`, thick mode) is one: it was handed to the driver as written, so it
 * was looked for under whatever folder licbridge was started in (a service's `/`), and
 * `licbridge run` from another folder than `config check` found no client.
 */
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const ORACLE =
  '  ledger-11g: { kind: oracle, connection: { connectString: "10.0.3.20:1521/ORCL", user: lb, password: pw, thickMode: true, libDir: LIB } }\n';

function configText(libDir: string, target = false): string {
  let text = VALID_CONFIG.replace('sources:\n', `sources:\n${ORACLE.replace('LIB', libDir)}`);
  if (target) {
    text += `  city: { kind: front-db, client: oracle, dataSource: 11370211MB1234567X, connection: { connectString: "10.0.8.20:1521/QZK", user: lb, password: pw, thickMode: true, libDir: ${libDir} } }\n`;
  }
  return text;
}

async function load(libDir: string, target = false) {
  const text = configText(libDir, target);
  const file = await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM });
  return { file, config: await loadConfig({ file, env: {} }) };
}

const libDirOf = (section: unknown): unknown =>
  ((section as { connection?: unknown } | undefined)?.connection as { libDir?: unknown } | undefined)?.libDir;

describe('connection.libDir', () => {
  it("a source's relative folder is the config file's", async () => {
    const { file, config } = await load('./instantclient_11_2');
    expect(libDirOf(config.sources['ledger-11g'])).toBe(join(dirname(file), 'instantclient_11_2'));
  });

  it("a front database's too", async () => {
    const { file, config } = await load('./instantclient_11_2', true);
    expect(libDirOf(config.targets.city)).toBe(join(dirname(file), 'instantclient_11_2'));
  });

  it('an absolute folder stays as written', async () => {
    const { config } = await load('/opt/oracle/instantclient_11_2');
    expect(libDirOf(config.sources['ledger-11g'])).toBe('/opt/oracle/instantclient_11_2');
  });

  // `~` is no folder licbridge knows: resolved against the config's folder it named
  // `<config folder>/~/instantclient`, and the home of whoever runs licbridge (a service's user, not
  // the person who ran `config check`) is no better.
  it('a folder starting with `~` is refused at its line, for a source and a front database', async () => {
    for (const libDir of ['~/instantclient_11_2', '"~"', '~oracle/instantclient_11_2']) {
      const text = configText(libDir, true);
      const { problems } = await problemsOf(text);
      expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
        ['sources.ledger-11g.connection.libDir', ...Object.values(positionOf(text, libDir, 1))],
        ['targets.city.connection.libDir', ...Object.values(positionOf(text, libDir, 2))],
      ]);
      expect(problems[0]?.message).toMatch(/`~` is not expanded.*absolute path/);
    }
  });
});
