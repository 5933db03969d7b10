// `sign files` over a ledger where a version's stored text was edited after it was written, but the
// version would get no file from this run once restored either: it is of another issuing unit than
// the seal's, or its license type has no face template. It is refused for that (`otherUnit`,
// `withoutTemplate`), not as corrupt: a corrupt text is told "restore it, then run again to issue
// these versions", which for these would not issue them, and sets exit 3 for this seal's run.
// A text that does not read gives no unit or type to judge it by, and stays refused as corrupt.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, PIPELINE, quiet } from '../platforms/license-file-workspace.js';

/** Sets version `versionId`'s stored text. */
function setPayload(ws: FileWorkspace, versionId: number, edit: (text: string) => string): void {
  const db = new Database(join(ws.dir, 'ledger.db'));
  try {
    const row = db.prepare('select payload from license_versions where version_id = ?').get(versionId) as {
      payload: string;
    };
    db.prepare('update license_versions set payload = ? where version_id = ?').run(
      edit(row.payload),
      versionId,
    );
  } finally {
    db.close();
  }
}

const editName = (t: string) => t.replace(/"name":"[^"]*"/, '"name":"EDITEDNAME"');

/** `ws`'s config with its pipeline changed by `change`. */
function withPipeline(ws: FileWorkspace, change: (p: Config['pipelines'][string]) => object): Config {
  const p = ws.config.pipelines[PIPELINE];
  if (p === undefined) throw new Error('no pipeline');
  return {
    ...ws.config,
    pipelines: { ...ws.config.pipelines, [PIPELINE]: { ...p, ...change(p) } },
  } as Config;
}

const issue = (ws: FileWorkspace, config: Config) =>
  issueFilesBackfill(config, ws.ledger, { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 }, quiet);

describe('sign files: an edited text of a version this run would not issue anyway', () => {
  let ws: FileWorkspace;
  afterEach(async () => {
    await ws?.close();
  });

  it('names an edited version of another issuing unit with the others of that unit, not as corrupt', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, editName);
    // The pipeline issued by another unit now, whose seal district-seal is: every version written
    // so far is the district bureau's, for a seal of the district bureau.
    const config = withPipeline(ws, (p) => ({ issuer: { ...p.issuer, code: '11370281MB1234568H' } }));

    const summary = await issue(ws, config);
    expect(summary).toMatchObject({ issued: 0, otherUnit: 3, storedText: 0, storedTexts: [] });
  });

  it('counts an edited version of a type without a face template as without a template, not as corrupt', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, editName);
    // The same catalog, its license type without a face template.
    const catalog = join(ws.dir, 'faceless-catalog');
    mkdirSync(catalog);
    const entry = 'food-business-license.yaml';
    const text = readFileSync(join(ws.config.catalog, entry), 'utf8');
    writeFileSync(join(catalog, entry), text.slice(0, text.search(/^face:/m)));
    const summary = await issue(ws, { ...ws.config, catalog } as Config);
    expect(summary).toMatchObject({ issued: 0, withoutTemplate: 3, storedText: 0 });
  });

  it('still refuses as corrupt a text that does not read, whatever its unit', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, () => '{"number":"X');
    const config = withPipeline(ws, (p) => ({ issuer: { ...p.issuer, code: '11370281MB1234568H' } }));

    const summary = await issue(ws, config);
    expect(summary).toMatchObject({ issued: 0, otherUnit: 2, storedText: 1 });
  });

  it('refuses an edited version of its own unit and type as corrupt, and issues the rest', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, editName);
    const summary = await issue(ws, ws.config);
    expect(summary).toMatchObject({ issued: 2, otherUnit: 0, withoutTemplate: 0, storedText: 1 });
  });
});
