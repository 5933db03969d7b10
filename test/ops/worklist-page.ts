import { worklistHtml } from '../../pipelines/quarantine-export.js';
import type { WorklistEntry } from '../../pipelines/quarantine-list.js';

const seen = new Date('2026-01-01T00:00:00Z');

/** A worklist entry of pipeline `food` with one reason `code`, seen once. */
export const entry = (sourceKey: string, code: string): WorklistEntry => ({
  pipeline: 'food',
  sourceKey,
  reasons: [{ code, message: 'm', zh: '说明', en: 'what' }],
  firstSeen: seen,
  lastSeen: seen,
  timesSeen: 1,
});

/** The text a reader sees on the worklist HTML page of `entries` (Asia/Shanghai), its tags and style left out. */
export const worklistPageText = (entries: WorklistEntry[]): string =>
  worklistHtml({ entries, byReason: {} }, 'Asia/Shanghai')
    .replace(/<style>[\s\S]*<\/style>/, '')
    .replace(/<[^>]+>/g, ' ');
