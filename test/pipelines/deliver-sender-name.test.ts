/**
 * The name a deliver job's take gives its leases (`deliverSender`): a delivery keeps the name of its
 * last sender, so the name is as short as the random id it replaced whatever the job's id, and still
 * tells every job and every take apart.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliverSender } from '../../pipelines/workers/stalled-out.js';

const JOB_ID = 'deliver-province_d2dce668-75bb-495b-acfd-4e69fd402155_969_1457_489_4b48754ba8166029';

describe('a deliver take’s sender name', () => {
  it('is no longer than a random id, however long the job id', () => {
    expect(deliverSender(JOB_ID, 1).length).toBeLessThanOrEqual(randomUUID().length);
    expect(deliverSender(`${JOB_ID}-stalled-1`, 12).length).toBeLessThanOrEqual(randomUUID().length);
  });

  it('is the same for the same take and differs for another job or take', () => {
    expect(deliverSender(JOB_ID, 1)).toBe(deliverSender(JOB_ID, 1));
    expect(deliverSender(JOB_ID, 2)).not.toBe(deliverSender(JOB_ID, 1));
    expect(deliverSender(`${JOB_ID}-stalled-1`, 1)).not.toBe(deliverSender(JOB_ID, 1));
  });
});
