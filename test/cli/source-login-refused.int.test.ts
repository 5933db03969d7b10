/**
 * A source that answers but refuses the login (a wrong password for MariaDB's root, a user
 * PostgreSQL does not know): `config check --connect` and `discover` say so once, as a login
 * failure — not "not reachable", since the server was reached — with the source named once, and
 * both show the client host MariaDB names in `'user'@'host'` (an address, no credential), so the
 * grant to fix can be read off either.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, licbridge as run } from '../support/cli.js';

const USER = `lb_no_such_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'licbridge-login-refused-'));
const configFile = join(dir, 'licbridge.yaml');
const licbridge = (args: string[]) => run([...args, '--config', configFile], { cwd: dir });

beforeAll(() => {
  writeFileSync(
    configFile,
    [
      'ledger: { url: "sqlite://./ledger.db" }',
      `catalog: ${JSON.stringify(join(ROOT, 'examples', 'west-coast', 'catalog'))}`,
      'sources:',
      '  maria: { kind: mysql, connection: { host: 127.0.0.1, port: 3306, user: root, password: not-the-password, database: mysql } }',
      `  pg: { kind: postgres, connection: { host: 127.0.0.1, port: 5432, user: ${USER}, database: postgres } }`,
      // Nothing listens on port 9: unreachable indeed, said so with the source named once.
      '  gone: { kind: mysql, connection: { host: 127.0.0.1, port: 9, user: root, database: mysql } }',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The stderr line about `source`. */
const lineAbout = (stderr: string, source: string): string =>
  stderr.split('\n').find((l) => l.includes(`source ${source}:`)) ?? '';

describe('a refused login', () => {
  it('config check --connect: one login failure per source, named once, never "not reachable"', async () => {
    const r = await licbridge(['config', 'check', '--connect']);
    expect(r.status, r.stderr).toBe(2);
    const maria = lineAbout(r.stderr, 'maria');
    expect(maria).toMatch(
      /sources\.maria: source maria: login failed as user `root`: Access denied for user 'root'@'[^'*]+' \(using password: YES\)$/,
    );
    const pg = lineAbout(r.stderr, 'pg');
    expect(pg).toMatch(
      new RegExp(
        `sources\\.pg: source pg: login failed as user \`${USER}\`: (role|user) "${USER}" does not exist$`,
      ),
    );
    for (const line of [maria, pg]) {
      expect(line).not.toContain('not reachable');
      expect(line.match(/source (maria|pg):/g)).toHaveLength(1);
    }
    const gone = lineAbout(r.stderr, 'gone');
    expect(gone).toMatch(/sources\.gone: source gone: not reachable: cannot reach the database: /);
    expect(gone.match(/source gone:/g)).toHaveLength(1);
  });

  it('discover: the same words, LB_SOURCE_AUTH, exit 1, the client host shown as config check shows it', async () => {
    const check = lineAbout((await licbridge(['config', 'check', '--connect'])).stderr, 'maria');
    const host = /'root'@'([^']*)'/.exec(check)?.[1];
    expect(host).toMatch(/^[^*]+$/);
    const maria = await licbridge(['discover', 'maria']);
    expect(maria.status).toBe(1);
    expect(maria.stderr).toBe(
      `licbridge: source maria: login failed as user \`root\`: Access denied for user 'root'@'${host}' (using password: YES) [LB_SOURCE_AUTH]\n`,
    );
    const pg = await licbridge(['discover', 'pg']);
    expect(pg.status).toBe(1);
    expect(pg.stderr).toMatch(
      new RegExp(
        `^licbridge: source pg: login failed as user \`${USER}\`: (role|user) "${USER}" does not exist \\[LB_SOURCE_AUTH\\]\\n$`,
      ),
    );
  });
});
