/**
 * A repair plan flags a license the platform holds in a later version than the ledger's latest
 * (a version licbridge never sent): its hint says so, and does not call it a record changed at the
 * platform, which is what a platform holding the latest version with other content is told.
 */
import { describe, expect, it } from 'vitest';
import type { RepairPlan } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import type { Difference } from '../../pipelines/reconcile/types.js';

const ID = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IEPO1UZ9OZS7V1';
const HASH = 'a'.repeat(64);

function mismatch(platformVersion: number, platformHash: string): Difference {
  return {
    kind: 'platform-content-mismatch',
    licenseId: ID,
    sourceKey: 'row-1',
    target: 'province',
    ledger: { version: 2, versionId: 12, status: 'valid', contentHash: HASH },
    platform: { version: platformVersion, status: 'valid', contentHash: platformHash, platformId: 'P1' },
  };
}

function plan(...differences: Difference[]): RepairPlan {
  return {
    reportId: 'r1',
    pipeline: 'food',
    items: differences.map((difference) => ({ action: 'flag', difference })),
    byAction: {
      're-read': 0,
      revoke: 0,
      cancel: 0,
      'adopt-revoke': 0,
      're-deliver': 0,
      flag: differences.length,
    },
  };
}

describe('a plan flagging a platform ahead of the ledger', () => {
  it('says the platform holds a later version licbridge never sent', () => {
    const en = textPlan(plan(mismatch(3, HASH)), { lang: 'en' });
    expect(en).toContain('1 licenses are held at the platform in a later version than licbridge');
    expect(en).not.toContain('Ask the platform why its record was changed');
    const zh = textPlan(plan(mismatch(3, HASH)));
    expect(zh).toContain('平台上有 1 张证照的版本比本系统的最新版本还新');
    expect(zh).not.toContain('平台已有');
  });

  it('keeps the altered-record hint for a platform holding the latest version, counting each apart', () => {
    const en = textPlan(plan(mismatch(3, HASH), mismatch(2, 'b'.repeat(64))), { lang: 'en' });
    expect(en).toContain('1 licenses are held at the platform in a later version');
    expect(en).toContain('1 licenses whose latest version the platform holds show another status or content');
  });
});
