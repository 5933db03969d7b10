/**
 * `verify --all` with no file store counts the license files the ledger lists as unchecked. It
 * read every file row of the selection at once to count them: on a ledger of millions of files,
 * all of them in memory for one number. It now reads them in keyset pages, as the files are read
 * when they are checked, and counts the same: here across page edges (a page of 2 over 7 files),
 * narrowed to a pipeline and to licenses whose files fall in different pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import type { FileSelection } from '../../pipelines/verify/license-files.js';
import { countListedFiles } from '../../pipelines/verify/listed-files.js';
import { type FileWorkspace, fileWorkspace, PIPELINE } from '../platforms/license-file-workspace.js';
import { watched } from './watched-ledger.js';

const COUNT = 9;
const WITH_FILES = 7;

describe('verify: the listed files counted page by page', () => {
  let ws: FileWorkspace;
  let files: StoredLicenseFile[];

  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, WITH_FILES);
    files = await ws.ledger.licenseFiles.list({});
    expect(files).toHaveLength(WITH_FILES);
  });
  afterAll(async () => {
    await ws?.close();
  });

  /** The count as read whole: every row of the selection at once. */
  function whole(selection: FileSelection): number {
    return files.filter(
      (f) =>
        (selection.pipeline === undefined || f.pipeline === selection.pipeline) &&
        (selection.licenseIds === undefined || selection.licenseIds.includes(f.licenseId)),
    ).length;
  }

  const ids = () => files.map((f) => f.licenseId);
  const selections: [string, () => FileSelection][] = [
    ['everything', () => ({})],
    ['one pipeline', () => ({ pipeline: PIPELINE })],
    ['a pipeline with no files', () => ({ pipeline: 'other' })],
    ['licenses in the first and last pages', () => ({ licenseIds: [ids()[0], ids()[6]] as string[] })],
    [
      'a license at a page edge and one without a file',
      () => ({ licenseIds: [ids()[1] as string, 'NO-SUCH'] }),
    ],
    ['licenses and a pipeline', () => ({ pipeline: PIPELINE, licenseIds: ids().slice(2, 5) })],
  ];

  it.each(selections)('counts %s as the whole read did, never more than a page at once', async (_, make) => {
    const selection = make();
    for (const pageSize of [1, 2, 3, WITH_FILES, WITH_FILES + 1]) {
      const { ledger, mostAtOnce } = watched(ws.ledger, 'list');
      expect(await countListedFiles(ledger, selection, pageSize)).toBe(whole(selection));
      expect(mostAtOnce()).toBeLessThanOrEqual(pageSize);
    }
  });

  it('counts 7, 1 and 3 for those selections', () => {
    // The expected counts themselves, so a filter gone wrong on both sides is seen.
    expect(whole({})).toBe(7);
    expect(whole({ licenseIds: [ids()[1] as string, 'NO-SUCH'] })).toBe(1);
    expect(whole({ pipeline: PIPELINE, licenseIds: ids().slice(2, 5) })).toBe(3);
  });
});
