/**
 * A demo workspace whose legacy table lives in a real engine of choice, for the tests that run one
 * scenario on each (duplicate keys, cursors): the demo's rows copied there, the config's source and
 * page size set, and a way to change the table with the engine's own SQL.
 */
import { writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { LEGACY_COLUMNS, LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { createMariadbDatabase, MARIADB } from '../connectors/servers.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from './demo-workspace.js';
import { createPgLegacyWorkspace } from './pg-legacy.js';

/** A demo workspace whose legacy table lives in one engine, with a way to change it. */
export interface Legacy {
  ws: DemoWorkspace;
  exec(sql: string): Promise<void>;
  /** Identifier quoting of the engine. */
  q(name: string): string;
  /** A date/time literal the engine stores in the cursor column. */
  ts(text: string): string;
  cleanup(): Promise<void>;
}

/**
 * The demo's legacy table, `rows` rows read in pages of `pageSize`, in SQLite, PostgreSQL or
 * MariaDB: one opener each, by engine name.
 */
export function legacyEngines(
  rows: number,
  pageSize: number,
): Record<'sqlite' | 'postgres' | 'mariadb', () => Promise<Legacy>> {
  return {
    async sqlite() {
      const ws = await createDemoWorkspace({ rows });
      const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url }).replace(
        /pageSize: \d+/,
        `pageSize: ${pageSize}`,
      );
      await writeFile(ws.configFile, yaml);
      return {
        ws,
        async exec(sql) {
          const db = new Database(ws.legacyDb);
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
        q: (n) => `"${n}"`,
        ts: (t) => `'${t}'`,
        cleanup: () => ws.cleanup(),
      };
    },
    async postgres() {
      const ws = await createPgLegacyWorkspace({ rows, pageSize });
      return {
        ws,
        async exec(sql) {
          await ws.pg.client.query(sql);
        },
        q: (n) => `"${n}"`,
        ts: (t) => `TIMESTAMP '${t}'`,
        cleanup: () => ws.cleanup(),
      };
    },
    async mariadb() {
      const ws = await createDemoWorkspace({ rows });
      const fresh = await createMariadbDatabase();
      try {
        await fresh.conn.query(`CREATE TABLE ${LEGACY_TABLE} (
        ID INT PRIMARY KEY, XKZBH CHAR(20), JYZMC VARCHAR(200), TYSHXYDM CHAR(18), FDDBR VARCHAR(50),
        FDDBRSFZ CHAR(18), JYCS VARCHAR(300), ZTYT VARCHAR(50), JYXM VARCHAR(500), FZRQ CHAR(8),
        YXQZ CHAR(8), FZJG VARCHAR(100), ZT CHAR(1), XZQH CHAR(6), GXSJ DATETIME(6), YZSBH CHAR(20),
        KEY (GXSJ, ID)) CHARACTER SET utf8mb4`);
        const sqlite = new Database(ws.legacyDb, { readonly: true });
        const rows = sqlite.prepare(`SELECT * FROM ${LEGACY_TABLE} ORDER BY ID`).all() as Record<
          string,
          unknown
        >[];
        sqlite.close();
        await fresh.conn.query(`INSERT INTO ${LEGACY_TABLE} (${LEGACY_COLUMNS.join(', ')}) VALUES ?`, [
          rows.map((r) => LEGACY_COLUMNS.map((c) => r[c] ?? null)),
        ]);
        const source = `market-food: { kind: mysql, connection: { host: ${MARIADB.host}, port: ${MARIADB.port}, user: ${MARIADB.user}, database: ${fresh.database} }, trim: all }`;
        const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
          .replace(/market-food: \{ kind: sqlite[^\n]*\}/, source)
          .replace(/pageSize: \d+/, `pageSize: ${pageSize}`);
        if (!yaml.includes('kind: mysql')) throw new Error('the demo config changed shape');
        await writeFile(ws.configFile, yaml);
      } catch (error) {
        await fresh.drop();
        await ws.cleanup();
        throw error;
      }
      return {
        ws,
        async exec(sql) {
          await fresh.conn.query(sql);
        },
        q: (n) => `\`${n}\``,
        ts: (t) => `TIMESTAMP '${t}'`,
        async cleanup() {
          await ws.cleanup();
          await fresh.drop();
        },
      };
    },
  };
}
