/**
 * A gateway refusing or failing a reminder may answer in a sentence that quotes the holder — a
 * name from its own subscriber records, the number it was sent, an ID number — or echo the message
 * it was sent. Of its words only a short machine token is kept (notify/message.ts
 * parseGatewayAnswer, shared/http-failure.ts safeReason): the reminder's reason in
 * `reminders.reason` and the hash-chained audit chain holds none of those values, nor a part of one
 * the ledger's 200-character cut could leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { gatewayReplying } from './reminder-gateways.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

const NAME = '测试戊己';
const ID = '110101199003071234';

/** Every run of `n` characters of `value`. */
const partsOf = (value: string, n: number): string[] =>
  Array.from({ length: value.length - n + 1 }, (_, i) => value.slice(i, i + n));

describe("a gateway's words quoting the holder", () => {
  let ws: ReminderWorkspace;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('are kept as neither a refusal reason nor a failure detail', async () => {
    const phones = { 90: '13912340090', 91: '13912340091', 92: '13912340092', 93: '13912340093' };
    for (const [n, phone] of Object.entries(phones)) await ws.commit(Number(n), '2036-03-31', { phone });
    const sentence = (phone: string) => `持证人${NAME}（身份证${ID}）手机${phone}已退订`;
    const gw = await gatewayReplying(({ recipient }, raw) => {
      // A refusal quoting the holder, in a 422 and in a 200; one echoing the message it was sent;
      // a failure (503) quoting the holder.
      if (recipient.endsWith('0090'))
        return { status: 422, body: { code: 40001, reason: sentence(recipient) } };
      if (recipient.endsWith('0091'))
        return { status: 200, body: { code: 40001, reason: sentence(recipient) } };
      if (recipient.endsWith('0092')) return { status: 200, body: { code: 40002, reason: `${NAME} ${raw}` } };
      return { status: 503, body: { code: 503, reason: sentence(recipient) } };
    });
    const rt = new Runtime(ws.withGateway(gw.url), ws.rt.logger);
    try {
      expect(await sendDueReminders(rt, { today: '2036-03-10' })).toMatchObject({ skipped: 3, failed: 1 });
    } finally {
      await rt.close();
      await gw.close();
    }
    const ids = Object.keys(phones).map((n) => ws.licenseId(Number(n)));
    const rows = await ws.ledger.reminders.forLicenses(ids);
    const reasonOf = (n: number) => rows.find((r) => r.licenseId === ws.licenseId(n))?.reason;
    expect(reasonOf(90)).toBe('gateway-refused:http-422');
    expect(reasonOf(91)).toBe('gateway-refused:code-40001');
    expect(reasonOf(92)).toBe('gateway-refused:code-40002');
    expect(reasonOf(93)).toMatch(
      /^target holder-sms: reminder to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 503$/,
    );

    const audit = (await ws.ledger.readAudit({ limit: 10_000 })).filter(
      (e) => e.action === 'remind' && ids.includes(e.licenseId ?? ''),
    );
    expect(audit).toHaveLength(3);
    const kept = [...rows.map((r) => r.reason ?? ''), ...audit.map((e) => JSON.stringify(e))].join('\n');
    for (const part of partsOf(NAME, 2)) expect(kept).not.toContain(part);
    const digits = kept.replace(/[^0-9]/g, '');
    for (const part of partsOf(ID, 7)) expect(digits).not.toContain(part);
    for (const phone of Object.values(phones)) expect(digits).not.toContain(phone.slice(0, 7));
  });
});
