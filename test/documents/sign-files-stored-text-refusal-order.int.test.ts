// `sign files` judges a version's stored text before any value of it, and refuses a corrupt one as
// corrupt (`storedText`) whatever its unit or type: a unit or type read from an edited text (an
// issuer set to null, a type of null, a text that is an array) threw out of every run at its page
// — as a text that did not read had before 05a5a7bb — and an edited issuer or type code named the
// version another unit's, or counted it without a template, and exited 0, hiding the corruption.
// Once restored, a version of another unit or type is refused as such.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, PIPELINE, quiet } from '../platforms/license-file-workspace.js';
import { setPayload } from './stored-text-edit.js';

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

describe('sign files: a corrupt text of any unit or type', () => {
  let ws: FileWorkspace;
  afterEach(async () => {
    await ws?.close();
  });

  it('refuses an edited version of another issuing unit as corrupt, and the others of that unit as theirs', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, editName);
    // The pipeline issued by another unit now, whose seal district-seal is: every version written
    // so far is the district bureau's, for a seal of the district bureau.
    const config = withPipeline(ws, (p) => ({ issuer: { ...p.issuer, code: '11370281MB1234568H' } }));

    const summary = await issue(ws, config);
    expect(summary).toMatchObject({ issued: 0, otherUnit: 2, storedText: 1 });
  });

  it('refuses an edited version of a type without a face template as corrupt', async () => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, editName);
    // The same catalog, its license type without a face template.
    const catalog = join(ws.dir, 'faceless-catalog');
    mkdirSync(catalog);
    const entry = 'food-business-license.yaml';
    const text = readFileSync(join(ws.config.catalog, entry), 'utf8');
    writeFileSync(join(catalog, entry), text.slice(0, text.search(/^face:/m)));
    const summary = await issue(ws, { ...ws.config, catalog } as Config);
    expect(summary).toMatchObject({ issued: 0, withoutTemplate: 2, storedText: 1 });
  });

  it('refuses as corrupt a text that does not read, whatever its unit', async () => {
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

  // Texts that read as JSON but hold no license a unit or type could be read from.
  const edits: [string, (t: string) => string][] = [
    ['an issuer of null', (t) => JSON.stringify({ ...JSON.parse(t), '@': undefined, issuer: null })],
    ['a type of null', (t) => JSON.stringify({ ...JSON.parse(t), '@': undefined, type: null })],
    [
      'another issuer code',
      (t) => JSON.stringify({ ...JSON.parse(t), '@': undefined, issuer: { code: '11370281MB1234568H' } }),
    ],
    ['an array for the whole text', () => '[1,2]'],
    // Texts that read but cannot be hashed, or name a type no folder can be named by.
    ['a number past the doubles', (t) => t.replace('{', '{"zz":1e999,')],
    [
      'values nested past the stack',
      (t) => t.replace('{', `{"zz":${'['.repeat(200_000)}${']'.repeat(200_000)},`),
    ],
    [
      'a type code of 300 letters',
      (t) => JSON.stringify({ ...JSON.parse(t), '@': undefined, type: { code: 'A'.repeat(300) } }),
    ],
  ];
  it.each(edits)('refuses as corrupt a text with %s, and issues the rest', async (_, edit) => {
    ws = await fileWorkspace(3, 0);
    setPayload(ws, ws.versionIds[1] as number, (t) => {
      const edited = edit(t);
      expect(edited).not.toBe(t);
      return edited;
    });
    const summary = await issue(ws, ws.config);
    expect(summary).toMatchObject({ issued: 2, otherUnit: 0, withoutTemplate: 0, storedText: 1 });
  });
});
