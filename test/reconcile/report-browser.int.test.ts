/**
 * The reconcile report and the quarantine worklist as people read them, in a real headless
 * Chromium: the demo department after a run, with rows deleted, edited behind the cursor and
 * committed behind the checkpoint, a license the province lost, and two entries of the province's
 * listing that cannot be read back (one altered there, one naming no license). At 1280 px (a laptop) and
 * 390 px (a phone) no text overflows its box or the page; the Chinese report explains each kind
 * of difference with the command to run, shows the province's view of licenses deleted at the
 * source, and holds none of licbridge's internal terms; `--lang en` gives the English one; the
 * repair plan names the policy that would revoke or cancel the deletions it only flags. The
 * unreadable entries are rows of the report, visible at both widths, saying why and where in the
 * listing, and nothing of their content (the person's name and ID number they hold).
 *
 * Set LICBRIDGE_DOCS_SCREENSHOTS=1 to write the screenshots shown in docs/ (docs/images/).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  readSimulatorState,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { chromiumAvailable, launchChromium, render } from '../support/browser.js';
import { licbridge, ROOT } from '../support/cli.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
const INTERNAL_TERMS = /deleted-at-source|bucket|ledger|content-mismatch|missing-at-platform/i;
const SHOTS = process.env.LICBRIDGE_DOCS_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'images') : undefined;

let ws: DemoWorkspace;
let browser: Browser;
let repairOut = '';
let province: ProvinceSimulator | undefined;
/** A person's name and ID number only the province's unreadable entries hold. */
const PERSON = '欧阳秀英';
const PERSON_ID = '370211199001011234';
let alteredId = '';
const cli = (args: string[]) =>
  licbridge([...args, '--config', ws.configFile], { cwd: ws.dir, timeoutMs: 120_000 });
const file = (name: string) => join(ws.dir, name);

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
  ws = await createDemoWorkspace({ rows: 200, seed: 3 });
  expect((await cli(['run', PIPELINE])).status).toBe(0);

  const db = new Database(ws.legacyDb);
  // Valid at the source and not yet past validTo (YXQZ, YYYYMMDD): licenses that stay `valid` under
  // derived expiry, so the province's column can say 有效.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .replaceAll('-', '');
  const valid = (
    db
      .prepare(`SELECT ID FROM ${TABLE} WHERE ZT = '1' AND YXQZ >= ? ORDER BY ID`)
      .pluck()
      .all(today) as number[]
  ).map(String);
  expect(ws.simulator.licenses().length).toBeGreaterThan(100);
  const [changed, ...rest] = valid;
  const deleted = rest.slice(0, 3);
  const maxId = db.prepare(`SELECT max(ID) FROM ${TABLE}`).pluck().get() as number;
  // Missed: committed behind the checkpoint; deleted: a hard delete; content: edited without moving the cursor.
  db.prepare(
    `INSERT INTO ${TABLE} SELECT ?, XKZBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM, FZRQ, YXQZ, FZJG, ZT, XZQH, '1990-01-01 00:00:00', YZSBH FROM ${TABLE} WHERE ID = ?`,
  ).run(maxId + 1, changed);
  for (const k of deleted) db.prepare(`DELETE FROM ${TABLE} WHERE ID = ?`).run(k);
  db.prepare(`UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 1 号' WHERE ID = ?`).run(changed);
  db.close();

  // The province loses one license: stop the simulator, edit its state, start it on the same port.
  const port = Number(new URL(ws.simulator.url).port);
  await ws.simulator.close();
  const stateFile = join(ws.dir, 'data', 'sim.json');
  const state = (await readSimulatorState(stateFile)) as unknown as { entries: Record<string, unknown>[] };
  // The last license the province accepted (not one of the rows edited above, which come first).
  const lostId = state.entries.at(-1)?.licenseId;
  state.entries = state.entries.filter((e) => e.licenseId !== lostId);
  // Two entries that cannot be read back into a license, each holding a person's name and ID
  // number the report must never show: one altered at the province (its version no longer a
  // number), and one naming no license at all (no licenseId, no zzbs), listed first.
  const altered = state.entries.at(-2) as Record<string, unknown>;
  alteredId = String(altered.licenseId);
  altered.version = 'one';
  altered.license = { ...(altered.license as object), czzt: PERSON, czztdm: PERSON_ID };
  const template = state.entries.at(-3) as Record<string, unknown>;
  const { zzbs: _zzbs, ...nameless } = template.license as Record<string, unknown>;
  state.entries.push({
    ...template,
    key: 'entry-without-license-id',
    // Stored by the simulator under '0', listed first; its entry names no license id.
    licenseId: 0,
    platformId: 'P-NAMELESS',
    license: { ...nameless, czzt: PERSON, czztdm: PERSON_ID },
  });
  await writeFile(stateFile, JSON.stringify(state));
  province = await startProvinceSimulator({
    port,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    stateFile,
  });

  const zh = await cli(['reconcile', PIPELINE, '--html', file('report.html')]);
  expect(zh.status, zh.stderr).toBe(1);
  const en = await cli(['reconcile', PIPELINE, '--lang', 'en', '--html', file('report-en.html')]);
  expect(en.status, en.stderr).toBe(1);
  const repair = await cli(['reconcile', PIPELINE, '--repair']);
  repairOut = repair.stdout;
  expect((await cli(['quarantine', 'export', file('worklist.html')])).status).toBe(0);
  browser = await launchChromium();
  if (SHOTS) await mkdir(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await province?.close();
  await ws?.cleanup();
});

describe.each([1280, 390])('at %i px', (width) => {
  it.each([
    ['report.html', 'reconcile-report-zh'],
    ['report-en.html', 'reconcile-report-en'],
    ['worklist.html', 'quarantine-worklist'],
  ])('%s reads without overflow', async (name, shot) => {
    const page = await render(browser, file(name), width);
    try {
      expect(page.overflows).toEqual([]);
      if (SHOTS && shot !== 'reconcile-report-en') {
        await page.page.screenshot({ path: join(SHOTS, `${shot}-${width}.png`), fullPage: true });
      }
    } finally {
      await page.close();
    }
  });
});

describe('the overflow probe', () => {
  it('finds a table wider than a phone and a long unbroken word', async () => {
    await writeFile(
      file('wide.html'),
      '<!doctype html><meta name="viewport" content="width=device-width"><table><tr><td>1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.0000000000000000001X</td></tr></table><p style="width:300px;white-space:nowrap">青岛西海岸新区市场监督管理局青岛西海岸新区市场监督管理局</p>',
    );
    const page = await render(browser, file('wide.html'), 390);
    try {
      expect(page.overflows.join('\n')).toMatch(/page|td/);
      expect(page.overflows.join('\n')).toContain('p "');
    } finally {
      await page.close();
    }
  });
});

describe('the Chinese report', () => {
  it('explains each kind with the command, shows the province view, and holds no internal term', async () => {
    const page = await render(browser, file('report.html'), 1280);
    try {
      expect(page.text).toMatch(/发现 \d+ 处差异/);
      for (const label of ['漏同步', '业务记录已删除', '内容未更新', '平台未收到'])
        expect(page.text).toContain(label);
      expect(page.text).toContain(`licbridge reconcile ${PIPELINE} --repair --yes`);
      expect(page.text).toContain('reconcile.deletedAtSource: revoke');
      // Deleted at the source, still valid at the province: the platform column says so.
      expect(page.text).toMatch(/业务记录已删除[\s\S]*province：有效（第 1 版）/);
      // Local time, China Standard Time by default.
      expect(page.text).toContain('北京时间');
      expect(page.text).not.toMatch(INTERNAL_TERMS);
    } finally {
      await page.close();
    }
    const html = await readFile(file('report.html'), 'utf8');
    expect(html).toContain('lang="zh-CN"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('is English on --lang en', async () => {
    const html = await readFile(file('report-en.html'), 'utf8');
    expect(html).toContain('lang="en"');
    expect(html).toContain('deleted in the business system');
  });

  it('has a repair plan that names the policy for the deletions it only flags', () => {
    expect(repairOut).toContain('reconcile.deletedAtSource: revoke');
    expect(repairOut).not.toMatch(INTERNAL_TERMS);
  });
});

describe('entries the province holds that cannot be read back', () => {
  // The province adapter's reasons, in the Chinese report's words.
  const NAMELESS_ZH = 'province：无法读取（列表第 1 条：缺少证照标识 licenseId）';
  const ALTERED_ZH = /province：无法读取（列表第 \d+ 条：版本号不是数字）/;

  it.each([1280, 390])(
    'are rows of the Chinese report at %i px, visible, with no personal data',
    async (width) => {
      const page = await render(browser, file('report.html'), width);
      try {
        expect(page.overflows).toEqual([]);
        expect(page.text).toContain('平台记录无法读取');
        expect(page.text).toContain(NAMELESS_ZH);
        expect(page.text).toMatch(ALTERED_ZH);
        // The altered entry is the license licbridge holds under that id: named by it in its row.
        const altered = page.page.locator('table.list tr', { hasText: '版本号不是数字' });
        expect(await altered.count()).toBe(1);
        expect(await altered.textContent()).toContain(alteredId);
        for (const row of [page.page.locator('table.list tr', { hasText: NAMELESS_ZH }), altered]) {
          expect(await row.isVisible()).toBe(true);
          const box = await row.boundingBox();
          expect(box?.width ?? 0).toBeGreaterThan(0);
          expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width + 1);
          const shot = await row.screenshot({ path: file(`unreadable-row-${width}.png`) });
          expect(shot.length).toBeGreaterThan(1000);
        }
        // Nothing of an unreadable entry's content is shown: not the name, not the ID number.
        expect(page.text).not.toContain(PERSON);
        expect(page.text).not.toContain(PERSON_ID);
        expect(page.text).not.toContain(PERSON_ID.slice(6, 14));
        expect(page.text).not.toMatch(INTERNAL_TERMS);
        await page.page.screenshot({ path: file(`report-unreadable-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
      const html = await readFile(file('report.html'), 'utf8');
      expect(html).not.toContain(PERSON);
      expect(html).not.toContain(PERSON_ID);
    },
  );

  it('are rows of the English report', async () => {
    const page = await render(browser, file('report-en.html'), 1280);
    try {
      expect(page.text).toContain('province: unreadable (listing entry 1: it has no licenseId)');
      expect(page.text).toMatch(/province: unreadable \(listing entry \d+: its version is not a number\)/);
      expect(page.text).not.toContain(PERSON);
      expect(page.text).not.toContain(PERSON_ID);
    } finally {
      await page.close();
    }
  });

  it('are flagged by the repair plan, by listing place or record key', () => {
    expect(repairOut).toMatch(/仅标记 +平台记录无法读取 {2}列表第 1 条 @province/);
    // And the altered one, by the record key of the license licbridge holds under its id.
    expect(repairOut.match(/^ +仅标记 +平台记录无法读取 {2}.+ @province$/gm)).toHaveLength(2);
    expect(repairOut).toContain('条记录无法读取为证照');
    expect(repairOut).not.toContain(PERSON);
    expect(repairOut).not.toContain(PERSON_ID);
  });
});
