/**
 * A row without a key is quarantined under a stand-in key (`XKZBH:missing#…`), and a connector adds
 * the row's other problems to the same record: a value over `maxValueBytes` (LB_SOURCE_TOO_LARGE),
 * a charset or decoding problem. Once the key is filled in no row gives the stand-in again, so no
 * read closes any of its reasons. A person's `quarantine resolve <stand-in> --reason
 * LB_SOURCE_KEY_MISSING` closes the whole record: taking out only that reason left the entry open
 * for good under LB_SOURCE_TOO_LARGE, counted by no check and refused by the command. On both
 * backends; LB_VERSION_LIMIT still takes out its own reason only
 * (quarantine-resolve-version-limit.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import type { QuarantineCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';

const STAND_IN = 'XKZBH:missing#e3a041d81380705e';

describe.each(BACKENDS)('resolving a stand-in key that holds another reason ($name)', (backend) => {
  const per = ledgerPerBackend(backend);

  async function quarantine(pipeline: string, quarantined: QuarantineCandidate[]): Promise<void> {
    const runId = uniqueName('run');
    await per.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await per.ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: 'c', key: runId }),
      rowsRead: quarantined.length,
      candidates: [],
      quarantined,
    });
  }

  const keyless = (): QuarantineCandidate => ({
    sourceKey: STAND_IN,
    reasons: [
      {
        code: 'LB_SOURCE_TOO_LARGE',
        message: 'source: column JYZMC holds 300 bytes, over maxValueBytes 200',
      },
      { code: CODE_KEY_MISSING, message: 'source: key XKZBH empty' },
    ],
  });

  it('closes the whole record, every reason of it, and says so in the audit entry', async () => {
    const pipeline = uniqueName('p');
    const other = uniqueName('p');
    // Two runs read the row keyless (two records); another pipeline holds the same stand-in.
    await quarantine(pipeline, [keyless()]);
    await quarantine(pipeline, [keyless()]);
    await quarantine(other, [keyless()]);
    const headBefore = (await per.ledger.auditHeadSeq()) ?? 0;

    expect(await per.ledger.resolveReason({ pipeline, sourceKey: STAND_IN, code: CODE_KEY_MISSING })).toEqual(
      {
        records: 2,
        keptOpen: 0,
        licenseId: null,
        closedWith: { LB_SOURCE_TOO_LARGE: 2 },
      },
    );
    expect(await per.ledger.openQuarantine({ pipeline })).toEqual([]);
    const history = await per.ledger.quarantineHistory({ pipeline, sourceKey: STAND_IN });
    expect(history.map((r) => r.resolvedAt === null)).toEqual([false, false]);
    // The records keep the reasons they were closed with (the history shows why they were opened).
    expect(history[0]?.reasons.map((r) => r.code)).toEqual(['LB_SOURCE_TOO_LARGE', CODE_KEY_MISSING]);

    const entries = await per.ledger.readAudit({ afterSeq: headBefore });
    expect(entries.map((e) => e.action)).toEqual(['quarantine-resolve']);
    const detail = entries[0]?.detail ?? '{}';
    expect(JSON.parse(detail)).toEqual({
      pipeline,
      code: CODE_KEY_MISSING,
      records: 2,
      keptOpen: 0,
      closedWith: 'LB_SOURCE_TOO_LARGE:2',
    });
    expect(detail).not.toContain('missing#');

    // The other pipeline's record is untouched.
    const left = await per.ledger.openQuarantine({ pipeline: other });
    expect(left.map((e) => e.sourceKey)).toEqual([STAND_IN]);
    // Nothing left to close: nothing audited.
    expect(
      await per.ledger.resolveReason({ pipeline, sourceKey: STAND_IN, code: CODE_KEY_MISSING }),
    ).toMatchObject({
      records: 0,
    });
    expect(await per.ledger.readAudit({ afterSeq: headBefore })).toHaveLength(1);
  });

  it('audits no closedWith for a stand-in record holding that code alone', async () => {
    const pipeline = uniqueName('p');
    await quarantine(pipeline, [
      { sourceKey: STAND_IN, reasons: [{ code: CODE_KEY_MISSING, message: 'source: key XKZBH empty' }] },
    ]);
    const headBefore = (await per.ledger.auditHeadSeq()) ?? 0;
    expect(await per.ledger.resolveReason({ pipeline, sourceKey: STAND_IN, code: CODE_KEY_MISSING })).toEqual(
      {
        records: 1,
        keptOpen: 0,
        licenseId: null,
      },
    );
    const [entry] = await per.ledger.readAudit({ afterSeq: headBefore });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      pipeline,
      code: CODE_KEY_MISSING,
      records: 1,
      keptOpen: 0,
    });
  });
});
