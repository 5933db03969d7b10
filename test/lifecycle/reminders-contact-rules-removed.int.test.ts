/**
 * Holders are reached through the mapping's contact fields (docs/lifecycle.md, Reminders). When a
 * mapping drops its contact rules, the contacts it stored before stay in the ledger (no run
 * writes a contact for a mapping without contact rules), and the tick kept reminding holders at
 * those numbers: ones the business system may no longer hold, given up by the holder or since
 * another person's. A pipeline whose mapping reads no contact is now reminded as one without
 * reminders: none opened, and one left pending dropped (`no-contact-rules`) unsent.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../../mappings/compile.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
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

describe('reminders of a pipeline whose mapping dropped its contact rules', () => {
  let ws: ReminderWorkspace;
  let mapping: string;

  beforeAll(async () => {
    ws = await reminderWorkspace();
    mapping = join(dirname(ws.configFile), 'mapping.yaml');
  });
  afterAll(async () => {
    await ws?.close();
  });

  const tick = async (today: string, gateway?: string) => {
    const rt = new Runtime(gateway ? ws.withGateway(gateway, 300) : ws.config, ws.rt.logger);
    try {
      return await sendDueReminders(rt, { today });
    } finally {
      await rt.close();
    }
  };

  it('reminds the holder while the mapping reads the contact', async () => {
    await writeFile(mapping, `${FIELDS}  contact.phone: { from: LXDH }\n`);
    expect((await compileMapping(mapping)).fields).toContain('contact.phone');
    await ws.commit(1, '2031-03-05', { phone: '13912340101' });
    expect(await tick('2031-03-01')).toMatchObject({ due: 1, sent: 1 });
    expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 4 }]);
  });

  it('sends nothing to a contact stored before, once the mapping reads none', async () => {
    // Stored while the mapping read contacts; its reminder left pending (the gateway down).
    await ws.commit(2, '2031-03-06', { phone: '13912340102' });
    expect(await tick('2031-03-01', 'http://127.0.0.1:9')).toMatchObject({ due: 1, failed: 1 });
    await ws.commit(3, '2031-03-07', { phone: '13912340103' });

    await writeFile(mapping, FIELDS);
    const summary = await tick('2031-03-02');
    expect(summary).toMatchObject({ due: 0, sent: 0, dropped: 1 });
    expect(ws.messagesOf(2)).toEqual([]);
    expect(ws.messagesOf(3)).toEqual([]);
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(2)]);
    expect(rows.map((r) => [r.state, r.reason])).toEqual([['dropped', 'no-contact-rules']]);
  });
});
