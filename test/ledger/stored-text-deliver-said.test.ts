/**
 * A deliver job's `LB_STORED_TEXT` record said "once its text is restored, `licbridge dlq replay`
 * sends it", while a replay leaves the dead letter dead once a later version of the license is
 * accepted at that target (pipelines/dead-letters-taken.ts `supersededBy`). It now says so. The
 * phrase by which quarantine-unsendable-stored-text.ts tells a deliver job's reasons from others is
 * one constant, part of what the deliver stage writes.
 */
import { describe, expect, it } from 'vitest';
import { DELIVERY_DEAD_LETTERED, STAGE_SAID } from '../../ledger/stored-text-quarantine.js';

describe("a deliver job's stored-text record", () => {
  it('says a replay does not send it once a later version is accepted at the target', () => {
    expect(STAGE_SAID.deliver.after).toContain('`licbridge dlq replay` sends it');
    expect(STAGE_SAID.deliver.after).toMatch(/later version .* accepted at that target/);
  });

  it('carries the phrase its reasons are told apart by, the sign stage not', () => {
    expect(DELIVERY_DEAD_LETTERED).toBe('its delivery is dead-lettered');
    expect(STAGE_SAID.deliver.consequence).toContain(DELIVERY_DEAD_LETTERED);
    expect(`${STAGE_SAID.sign.consequence} ${STAGE_SAID.sign.after}`).not.toContain(DELIVERY_DEAD_LETTERED);
  });
});
