// `sign files` over a ledger where one version's stored license text was edited after it was
// written (its holder's name changed by hand), or no longer reads: that version gets no file — a
// sealed face would show a license other than the one its content hash attests, and
// one text that does not read stopped every run at its page — while the rest of the page is issued.
// The run counts and names it by license id and version (never a value of it), removes any file a
// killed run wrote for it, and asks for a person; once the text is restored, a rerun issues it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { filesAttentionReport, setFilesAttentionExit } from '../../cli/commands/sign-files.js';
import { createLogger } from '../../core/logger.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { type FileWorkspace, fileWorkspace, PIPELINE } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';
import { setPayload } from './stored-text-edit.js';

const EXIT_ATTENTION = 3;

const ofdFiles = (root: string): string[] =>
  existsSync(root)
    ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'))
    : [];

function capture() {
  const lines: string[] = [];
  const destination = { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream;
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

async function issue(ws: FileWorkspace, logger = capture().logger) {
  return issueFilesBackfill(
    ws.config,
    ws.ledger,
    { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
    logger,
  );
}

/** The version ids the ledger lists a file for. */
async function filed(ws: FileWorkspace): Promise<number[]> {
  return (await ws.ledger.licenseFiles.list({})).map((f) => f.versionId).sort((a, b) => a - b);
}

describe('sign files: a version whose stored text is corrupt', () => {
  let ws: FileWorkspace;
  afterEach(async () => {
    process.exitCode = undefined;
    await ws?.close();
  });

  it('issues no file for an edited text, names it and issues the rest; the restored text is issued', async () => {
    ws = await fileWorkspace(3, 0);
    const [first, edited, third] = ws.versionIds as [number, number, number];
    const [stored] = await ws.ledger.getVersions([edited]);
    const named = { licenseId: stored?.licenseId, version: stored?.version };
    const original = setPayload(ws, edited, (t) => t.replace(/"name":"[^"]*"/, '"name":"EDITEDNAME"'));
    expect(original).not.toContain('EDITEDNAME');

    const { lines, logger } = capture();
    const summary = await issue(ws, logger);
    expect(summary).toMatchObject({ issued: 2, storedText: 1 });
    expect(summary.storedTexts).toEqual([
      { ...named, problem: expect.stringContaining('does not match the content hash') },
    ]);
    expect(await filed(ws)).toEqual([first, third]);
    expect(ofdFiles(ws.store)).toHaveLength(2);
    for (const f of ofdFiles(ws.store))
      expect(readFileSync(join(ws.store, f)).includes('EDITEDNAME')).toBe(false);
    // Logged with the code the sign stage gives, by license id and version: never the text.
    const log = lines.join('');
    expect(log).toContain('[LB_STORED_TEXT]');
    expect(log).not.toContain('EDITEDNAME');
    // Printed and exited as the run's other refusals are: work left for a person.
    const report = filesAttentionReport('sign files', ws.store, summary);
    expect(report).toContain('[LB_STORED_TEXT]');
    expect(report).toContain(`  ${named.licenseId} version ${named.version}: its stored text does not match`);
    expect(report).not.toContain('EDITEDNAME');
    // The content hash is checked, not the signature (it leaves out the identifier, which a file carries).
    expect(report).toContain("a file is sealed only of the license its version's content hash attests");
    setFilesAttentionExit(summary);
    expect(process.exitCode).toBe(EXIT_ATTENTION);

    // The ledger repaired: the rerun issues its file.
    setPayload(ws, edited, () => original);
    const rerun = await issue(ws);
    expect(rerun).toMatchObject({ issued: 1, storedText: 0, storedTexts: [] });
    expect(await filed(ws)).toEqual([first, edited, third]);
  });

  it('issues no file for a text that does not read and goes on with the others, run after run', async () => {
    ws = await fileWorkspace(3, 0);
    const [broken, second, third] = ws.versionIds as [number, number, number];
    const [stored] = await ws.ledger.getVersions([broken]);
    const named = { licenseId: stored?.licenseId, version: stored?.version };
    const original = setPayload(ws, broken, () => '{"number":"X');

    const summary = await issue(ws);
    expect(summary).toMatchObject({ issued: 2, storedText: 1 });
    expect(summary.storedTexts).toEqual([{ ...named, problem: expect.stringContaining('does not read') }]);
    expect(await filed(ws)).toEqual([second, third]);
    expect(await issue(ws)).toMatchObject({ issued: 0, storedText: 1 });

    setPayload(ws, broken, () => original);
    expect(await issue(ws)).toMatchObject({ issued: 1, storedText: 0 });
    expect(await filed(ws)).toEqual([broken, second, third]);
  });

  it.each([
    ['edited', (t: string) => t.replace(/"name":"[^"]*"/, '"name":"EDITEDNAME"')],
    ['unreadable', () => '{"number":"X'],
  ])('removes the file a killed run wrote for a version it now refuses for its %s text', async (_, edit) => {
    ws = await fileWorkspace(2, 0);
    const [edited, other] = ws.versionIds as [number, number];
    const [stored] = await ws.ledger.getVersions([edited]);
    if (stored === undefined) throw new Error('version not stored');
    // What a killed run left: the version's file in place, never recorded.
    await new LicenseFileStore(ws.store).putMany([
      {
        typeCode: stored.payload.type.code,
        licenseId: stored.licenseId,
        version: stored.version,
        bytes: Buffer.from('sealed before the text was edited'),
      },
    ]);
    expect(ofdFiles(ws.store)).toHaveLength(1);
    setPayload(ws, edited, edit);

    const summary = await issue(ws);
    expect(summary).toMatchObject({ issued: 1, storedText: 1, unlistedRemoved: 1 });
    expect(await filed(ws)).toEqual([other]);
    expect(ofdFiles(ws.store)).toHaveLength(1);
  });

  it("removes a killed run's file for a text that no longer reads after the pipeline's license type changed", async () => {
    ws = await fileWorkspace(2, 0);
    const [broken, other] = ws.versionIds as [number, number];
    const [stored] = await ws.ledger.getVersions([broken]);
    if (stored === undefined) throw new Error('version not stored');
    // Written under the type its license id names, by a run killed before it recorded the file.
    await new LicenseFileStore(ws.store).putMany([
      {
        typeCode: stored.payload.type.code,
        licenseId: stored.licenseId,
        version: stored.version,
        bytes: Buffer.from('sealed before the text was lost'),
      },
    ]);
    setPayload(ws, broken, () => '{"number":"X');
    // The pipeline issues another license type now: its text gives no type, its license id does.
    const food = ws.config.pipelines[PIPELINE];
    if (food === undefined) throw new Error('no pipeline');
    const retyped = {
      ...ws.config,
      pipelines: { ...ws.config.pipelines, [PIPELINE]: { ...food, licenseType: '11370200MB12345674009' } },
    };

    const summary = await issueFilesBackfill(
      retyped,
      ws.ledger,
      { seal: 'district-seal', storeRoot: ws.store, pageSize: 10 },
      capture().logger,
    );
    expect(summary).toMatchObject({ issued: 1, storedText: 1, unlistedRemoved: 1 });
    expect(await filed(ws)).toEqual([other]);
    expect(ofdFiles(ws.store)).toHaveLength(1);
  });
});

describe('sign files and sign backfill --files: the run says so', () => {
  let ws: FileWorkspace;
  afterEach(async () => {
    await ws?.close();
  });

  it('prints the version refused for its text, with the sign stage code, and exits 3', async () => {
    ws = await fileWorkspace(3, 0);
    const config = join(ws.dir, 'licbridge.yaml');
    const edited = ws.versionIds[1] as number;
    const [stored] = await ws.ledger.getVersions([edited]);
    setPayload(ws, edited, (t) => t.replace(/"name":"[^"]*"/, '"name":"EDITEDNAME"'));

    const backfill = await licbridge([
      'sign',
      'backfill',
      '--files',
      '--seal',
      'district-seal',
      '-c',
      config,
    ]);
    expect(backfill.status, backfill.stderr).toBe(3);
    expect(backfill.stdout).toContain('license files: 2 issued (');
    expect(backfill.stdout).toContain('; 1 version(s) not issued: stored text corrupt\n');
    expect(backfill.stdout).toContain(
      `sign backfill: no file for these 1 version(s): their stored license text is corrupt [LB_STORED_TEXT]`,
    );
    expect(backfill.stdout).toContain(`  ${stored?.licenseId} version ${stored?.version}: its stored text`);

    const files = await licbridge(['sign', 'files', '--seal', 'district-seal', '--json', '-c', config]);
    expect(files.status, files.stderr).toBe(3);
    expect(JSON.parse(files.stdout)).toMatchObject({ issued: 0, storedText: 1 });
    expect(files.stderr).toContain('[LB_STORED_TEXT]');
    for (const out of [backfill.stdout, backfill.stderr, files.stdout, files.stderr])
      expect(out).not.toContain('EDITEDNAME');
  });
});
