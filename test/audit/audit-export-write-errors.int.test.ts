/**
 * An export that cannot be written fails naming the file asked for, as `quarantine export` does.
 * The system's own message named the temporary file beside it (`x.jsonl.4711-1a2b3c4d.tmp`, a
 * name the operator never gave), or no file at all, and its "no such file" was about a file yet
 * to be made. Nothing is left behind either way.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LicbridgeError } from '../../core/errors.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { useExportWorkspace } from './export-workspace.js';

describe('an audit export that cannot be written', () => {
  const ws = useExportWorkspace(6);

  const failure = async (out: string): Promise<LicbridgeError> => {
    const e = await writeAuditExport(ws.chain.ledger, ws.signer, {}, { out }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    return e as LicbridgeError;
  };

  it('in a folder that is not there: names the file and its folder, not the temporary file', async () => {
    const out = join(ws.dir, 'missing', 'day.jsonl');
    const e = await failure(out);
    expect(e.message).toBe(`audit: export failed: cannot write ${out}: its folder takes no new file`);
    expect(e.message).not.toContain('.tmp');
  });

  it('onto a folder: names the file, and leaves no temporary file beside it', async () => {
    const out = join(ws.dir, 'a-folder');
    await mkdir(out);
    const e = await failure(out);
    expect(e.message).toBe(`audit: export failed: cannot write ${out}: it is a folder, not a file`);
    expect(await readdir(ws.dir)).toEqual(['a-folder']);
  });
});
