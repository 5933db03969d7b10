/**
 * What a gateway says of one reminder is kept (reminders.reason, the audit chain) with the
 * recipient's number masked to its last four digits, however the gateway writes it. A recipient
 * sent with its country code (`+8613912340002`, as normalizePhone keeps it) comes back from most
 * gateways in its national form, `139-1234-0002`: only the whole `86139` before the last eight
 * digits was looked for, so the `139` stayed in clear.
 */
import { describe, expect, it } from 'vitest';
import { scrubReminderText } from '../../pipelines/lifecycle/reminder-scrub.js';

describe('a reminder text echoing its recipient', () => {
  it('keeps the last four digits of the number written apart, with or without its country code', () => {
    const intl = '+8613912340002';
    expect(scrubReminderText('no-route-139-1234-0002', intl)).toBe('no-route-***-****-0002');
    expect(scrubReminderText('no-route-86-139-1234-0002', intl)).toBe('no-route-**-***-****-0002');
    expect(scrubReminderText('busy (139) 1234.0002', intl)).toBe('busy (***) ****.0002');
    expect(scrubReminderText('no-route-139-1234-0002', '13912340002')).toBe('no-route-***-****-0002');
  });

  it('masks an app user id the gateway wrote in its own case', () => {
    // A push recipient in a failure's token (`HTTP 503 (busy-zhangsan88)`): the notify target masks
    // it in a refusal only (withoutRecipient); a failure's text came here with it whole.
    expect(scrubReminderText('HTTP 503 (busy-zhangsan88)', 'ZhangSan88')).toBe('HTTP 503 (busy-******an88)');
    expect(scrubReminderText('HTTP 429 (quota.ZHANGSAN88.day)', 'ZhangSan88')).toBe(
      'HTTP 429 (quota.******AN88.day)',
    );
  });

  it('leaves other numbers as they are', () => {
    expect(scrubReminderText('code 4711, retry in 30 s', '+8613912340002')).toBe('code 4711, retry in 30 s');
  });
});
