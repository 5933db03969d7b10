/**
 * A contact is kept for reminders and nothing else (docs/lifecycle.md, Reminders). When a
 * pipeline's mapping drops its contact rules, the tick reminds nobody through the contacts it
 * stored before (reminders-contact-rules-removed), yet kept them: every holder's mobile number
 * stayed in the ledger, used by nothing, for as long as the license stayed valid — years. Each
 * tick now deletes them, audited as the contacts of licenses no longer valid are.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const FIELDS = `fields:
  number: { from: XKZBH, required: true }
  holder.name: { from: JYZMC, required: true }
  holder.idType: { const: "001" }
  holder.id: { from: TYSHXYDM, required: true }
  issueDate: { from: FZRQ, transform: [{ date: [yyyyMMdd] }], required: true }
  validFrom: { from: FZRQ, transform: [{ date: [yyyyMMdd] }], required: true }
  validTo: { from: YXQZ, transform: [{ date: [yyyyMMdd] }] }
  status: { const: valid }
  areaCode: { from: XZQH }
  surface.premises: { from: JYCS, required: true }
`;

describe.each(BACKENDS)(
  'contacts of a pipeline whose mapping dropped its contact rules ($name)',
  (backend) => {
    let ws: ReminderWorkspace;
    let mapping: string;

    beforeAll(async () => {
      ws = await reminderWorkspace({ backend });
      mapping = join(dirname(ws.configFile), 'mapping.yaml');
    });
    afterAll(async () => {
      await ws?.close();
    });

    const tick = async (today: string, pipelines?: string[]) => {
      const rt = new Runtime(ws.config, ws.rt.logger);
      try {
        return await sendDueReminders(rt, { today, ...(pipelines ? { pipelines } : {}) });
      } finally {
        await rt.close();
      }
    };

    it('are kept while the mapping reads contacts, and deleted by the first tick once it reads none', async () => {
      await writeFile(mapping, `${FIELDS}  contact.phone: { from: LXDH }\n`);
      // Valid for years: no reminder due, the contacts kept for the ones to come.
      await ws.commit(1, '2035-03-05', { phone: '13912340101' });
      await ws.commit(2, '2036-03-05', { phone: '13912340102' });
      // Of a pipeline this configuration does not run: not its to judge.
      await ws.commit(3, '2036-03-05', { phone: '13912340103' }, undefined, 'elsewhere');
      const ids = [1, 2, 3].map((n) => ws.licenseId(n));
      expect(await tick('2031-03-01')).toMatchObject({ due: 0, contactsPurged: 0 });
      expect([...(await ws.ledger.reminders.contacts(ids)).keys()].sort()).toEqual([...ids].sort());

      await writeFile(mapping, FIELDS);
      expect(await tick('2031-03-02')).toMatchObject({ due: 0, sent: 0, contactsPurged: 2 });
      expect([...(await ws.ledger.reminders.contacts(ids)).keys()]).toEqual([ws.licenseId(3)]);
      const audit = (await ws.ledger.readAudit({ limit: 1000 })).filter((e) => e.action === 'purge-contacts');
      expect(audit.map((e) => JSON.parse(e.detail ?? ''))).toEqual([{ contacts: 2 }]);
      expect(ws.sim.messages()).toEqual([]);
    });

    it('are deleted by a tick of that pipeline alone too', async () => {
      await ws.commit(4, '2036-03-05', { phone: '13912340104' });
      expect(await tick('2031-03-03', [ws.pipeline])).toMatchObject({ due: 0, contactsPurged: 1 });
      expect([...(await ws.ledger.reminders.contacts([ws.licenseId(4)])).keys()]).toEqual([]);
    });
  },
);
