/**
 * An uphold outside the source's `readWindow` re-reads nothing: the department allows no read
 * then, and the source answers with no rows. It stays open saying so — naming the window and the
 * host time — and is audited (`read-window-closed`), where it said the source row still gave the
 * objected content, though the row had been corrected: the operator was sent back to a department
 * that had already done its part. Needs Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { ObjectionStaysOpen } from '../../pipelines/lifecycle/objection-uphold.js';
import { withWindowClosed } from '../support/read-window.js';
import { objectionWorkspace, upholdFailure } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('an uphold outside the read window stays open naming the window, and is audited', async () => {
  const { license, objection } = await demo.objected({ notObjected: true });
  demo.setPlace(license.sourceKey, '济南市历下区泉城路1号（已更正）');
  const pipeline = demo.config.pipelines['food-business-licenses'];
  const sourceName = pipeline?.source as string;
  // A window that opens in two hours: now is outside it.
  const { config, window } = withWindowClosed(demo.config, sourceName);
  const before = demo.versionCount(license.id);
  const failure = await upholdFailure(config, objection.objectionId, '已更正');
  expect(failure).toBeInstanceOf(ObjectionStaysOpen);
  const message = (failure as Error).message;
  expect(message).toContain(`objection: ${objection.objectionId} stays open`);
  expect(message).toContain(`readWindow \`${window}\``);
  expect(message).not.toContain('still gives the content');
  expect(demo.versionCount(license.id)).toBe(before);
  const attempts = demo
    .audit(license.id)
    .filter((r) => r.action === 'objection-attempt')
    .map((r) => r.detail.result);
  expect(attempts).toEqual(['read-window-closed']);
});
