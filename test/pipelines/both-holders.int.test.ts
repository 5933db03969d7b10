/**
 * A license type held by enterprises and individual businesses, end to end: the road-transport
 * demo entry and mapping over a legacy table with both kinds of holders. Enterprises reach the
 * province with `001` and their credit code, individual businesses with `111` and their 18-digit
 * ID number (a 15-digit one upgraded); a wrong check char is quarantined. Needs Redis.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast', 'road-transport');
const PIPELINE = 'road-transport-licenses';

const ROWS: [number, string, string][] = [
  [1, '青岛海滨物流有限公司', '91370211MA3C7XY81Y'],
  [2, '青岛西岸客运有限公司', '91370406L24894136J'],
  [3, '王小二', '370211198005123414'],
  [4, '李四', '370211650101123'],
  [5, '赵五', '11010519491231002x'],
  [6, '钱六', '370211198005123410'],
];

describe('a license type with both holder kinds', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;
  let run: { status: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    await cp(
      join(DEMO, 'catalog', 'road-transport-license.yaml'),
      join(ws.dir, 'catalog', 'road-transport-license.yaml'),
    );
    await cp(
      join(DEMO, 'mappings', 'road-transport-license.yaml'),
      join(ws.dir, 'mappings', 'road-transport-license.yaml'),
    );
    const db = new Database(ws.legacyDb);
    db.exec(
      'CREATE TABLE T_DLYS_XKZ (ID INTEGER PRIMARY KEY, XKZH TEXT, JYZMC TEXT, ZJHM TEXT, JYFW TEXT, JYDZ TEXT, FZRQ TEXT, YXQZ TEXT, ZT TEXT, XZQH TEXT, GXSJ TEXT)',
    );
    const insert = db.prepare('INSERT INTO T_DLYS_XKZ VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [id, name, idNo] of ROWS) {
      insert.run(
        id,
        `鲁交运管许可青字3702110001${id}号`,
        name,
        idNo,
        '道路普通货物运输',
        '青岛市黄岛区长江中路2号',
        '20220301',
        '20260228',
        '1',
        '370211',
        `2024-01-0${id} 00:00:00`,
      );
    }
    db.close();
    const config = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      config.replace(
        'pipelines:\n',
        `pipelines:
  ${PIPELINE}:
    source: market-food
    stream: { table: T_DLYS_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/road-transport-license.yaml
    licenseType: 11370211MB0000001D001
    issuer: { name: 青岛西海岸新区交通运输局, code: 11370211MB0000001D }
    signer: district-seal
    targets: [province]
`,
      ),
    );
    run = await licbridge(['run', PIPELINE, '--json', '--config', ws.configFile]);
  }, 150_000);
  afterAll(async () => ws?.cleanup());

  it('runs: read 6 = created 5 + quarantined 1 (the wrong check char)', () => {
    expect(run.status, run.stderr).toBe(0);
    const [summary] = JSON.parse(run.stdout).runs;
    expect(summary).toMatchObject({ read: 6, created: 5, unchanged: 0, quarantined: 1 });
    expect(summary.quarantineByReason).toEqual({ LB_HOLDER_ID_CHECK: 1 });
  });

  it('delivers enterprises with 001 and individual businesses with 111 and 18-digit IDs', () => {
    const got = ws.simulator
      .licenses()
      .map((l) => [l.license.czztdmlx, l.license.czztdm])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(got).toEqual([
      ['111', '11010519491231002X'],
      ['111', '370211196501011236'],
      ['111', '370211198005123414'],
      ['001', '91370211MA3C7XY81Y'],
      ['001', '91370406L24894136J'],
    ]);
  });

  it('keeps the individual business in quarantine masked', async () => {
    const r = await licbridge(['quarantine', 'list', '--pipeline', PIPELINE, '--config', ws.configFile]);
    expect(r.stdout + r.stderr).not.toContain('370211198005123410');
    expect(r.stdout + r.stderr).not.toContain('钱六');
  });
});
