/**
 * The reopen tests' ledger: one license of a fresh pipeline on a ledger of `backend`, its version 1
 * committed with real identifiers and delivered to `province` with the answer the test gives —
 * the delivery a repair then reopens, or leaves as it is (repair-reopen-receipt,
 * repair-redeliver-stale, reopen-submitted).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { DeliveryOutcome } from '../../ledger/delivery-outcomes.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
export const TARGET = 'province';

/** Version `version` of the license of `serial`, valid until `validTo`. */
function license(serial: string, version: number, validTo: string): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['热食类食品制售'] },
  };
}

export interface DeliveredLicense {
  ledger: Ledger;
  pipeline: string;
  licenseId: string;
  /** The key of version 1's delivery to {@link TARGET}. */
  key: string;
  /** The ledger database's URL, for a knex of the test's own beside the ledger's. */
  url: string;
  /** Closes the ledger and drops its database. */
  close(): Promise<void>;
}

/**
 * A ledger of `backend` holding one license (pipeline and serial named from `prefix` and a random
 * tag) whose version 1 is delivered to {@link TARGET} with `answer` recorded.
 */
export async function deliveredLicense(
  backend: Backend,
  prefix: string,
  answer: Omit<DeliveryOutcome, 'key'>,
  validTo = '2031-01-09',
): Promise<DeliveredLicense> {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `${prefix.toLowerCase()}-${tag.toLowerCase()}`;
  const serial = `${prefix.toUpperCase()}${tag}000001`;
  const licenseId = ids.licenseId(serial);
  const key = `${licenseId}:1:${TARGET}`;
  const database = await backend.create();
  const ledger = await openLedger(database.url, { logger: quietLogger });
  const runId = randomUUID();
  await ledger.startRun({ runId, pipeline, mode: 'incremental' });
  const [v1] = (
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 1,
      candidates: [
        {
          licenseId,
          sourceKey: serial,
          contentHash: contentHash(license(serial, 1, validTo)),
          status: 'valid',
          lineage: {
            pipeline,
            source: 's',
            sourceKey: serial,
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: (version) => license(serial, version, validTo),
        },
      ],
      quarantined: [],
    })
  ).created;
  if (!v1) throw new Error('no version 1');
  await ledger.ensureDeliveries([v1.versionId], TARGET);
  await ledger.recordDeliveryOutcomes([{ key, ...answer }]);
  return {
    ledger,
    pipeline,
    licenseId,
    key,
    url: database.url,
    async close() {
      await ledger.close();
      await database.dispose();
    },
  };
}
