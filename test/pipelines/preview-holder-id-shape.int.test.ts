/**
 * preview of a mapping declaring its holders organisations (`holder.idType: { const: "001" }`),
 * on a row whose holder id is a person's old 15-digit ID number with a mistyped birth date: the
 * number was shown whole in the source column and the quarantine reason, as an organisation's
 * public number. It is masked wherever it is shown; `--show-personal` still shows it.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { maskName } from '../../core/mask.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PERSON_15 = '110105491331002';
const PERSON_NAME = '欧阳秀英';

describe('preview: a holder id of a resident ID shape under an organisation id type', () => {
  let ws: DemoWorkspace;
  let key: string;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
    const db = new Database(ws.legacyDb);
    key = String((db.prepare('SELECT MIN(ID) AS id FROM T_SPXK_XKZ').get() as { id: unknown }).id);
    db.prepare('UPDATE T_SPXK_XKZ SET TYSHXYDM = ?, JYZMC = ? WHERE ID = ?').run(PERSON_15, PERSON_NAME, key);
    db.close();
  });
  afterAll(async () => ws?.cleanup());

  it('masks it in the source column and the reason', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', { limit: 3, offset: 0 });
    const row = preview.rows.find((r) => r.key === key);
    expect(row?.source.TYSHXYDM).toBe('1101*******1002');
    const reason = row?.failures?.find((f) => f.path === 'holder.id');
    expect(reason?.value).toBe('1101*******1002');
    expect(JSON.stringify(preview)).not.toContain(PERSON_15);
    // The holder's name beside it is a person's too: its source column is masked as the license's holder.name.
    expect(row?.source.JYZMC).toBe(maskName(PERSON_NAME));
    expect(JSON.stringify(preview)).not.toContain(PERSON_NAME);
    // A credit code of another row stays in clear.
    const other = preview.rows.find((r) => r.key !== key);
    expect(other?.source.TYSHXYDM).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);

    const shown = await previewPipeline(config, 'food-business-licenses', {
      limit: 3,
      offset: 0,
      showPersonal: true,
    });
    expect(shown.rows.find((r) => r.key === key)?.source.TYSHXYDM).toBe(PERSON_15);
    expect(shown.rows.find((r) => r.key === key)?.source.JYZMC).toBe(PERSON_NAME);
    // An organisation's name of another row stays in clear.
    const otherName = shown.rows.find((r) => r.key !== key)?.source.JYZMC;
    expect(preview.rows.find((r) => r.key !== key)?.source.JYZMC).toBe(otherName);
  });
});
