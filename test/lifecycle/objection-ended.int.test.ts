/**
 * An objection answered by ending the license (the unit revoked it in the business system): the
 * platforms show it ended, nobody relies on the objected content any more, and `status` already
 * says an ended license needs no correction (observability/objection-attention.ts). Only an
 * update, renewal or change counted as a correction, so the uphold stayed open for good and the
 * objection was counted overdue (art. 16) for ever. The ending now settles it, and the audit entry
 * says it was settled by the ending. Needs Redis and the demo workspace.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { objectionWorkspace, upholdFailure } from './objection-fixture.js';

const demo = objectionWorkspace(8);

it('an objection answered by revoking the license is upheld, and no longer overdue', {
  timeout: 180_000,
}, async () => {
  const { license, objection } = await demo.objected();
  // The unit ends the license in the business system (ZT 0: revoked).
  const legacy = new Database(demo.ws.legacyDb);
  try {
    legacy.prepare("UPDATE T_SPXK_XKZ SET ZT = '0' WHERE ID = ?").run(Number(license.sourceKey));
  } finally {
    legacy.close();
  }

  expect(await upholdFailure(demo.config, objection.objectionId, '已撤销')).toBeUndefined();

  const rt = new Runtime(demo.config, quietLogger());
  try {
    // Far past any deadline: an objection still open would be counted overdue.
    const late = await (await rt.ledger()).openObjectionsBefore(new Date('2100-01-01T00:00:00Z'));
    expect(late.count).toBe(0);
  } finally {
    await rt.close();
  }
  const upheld = demo.audit(license.id).filter((e) => e.action === 'objection' && e.detail.step === 'upheld');
  expect(upheld.map((e) => e.detail)).toEqual([
    {
      objection: objection.objectionId,
      step: 'upheld',
      correctedVersion: demo.versionCount(license.id),
      settledBy: 'ending',
    },
  ]);
});
