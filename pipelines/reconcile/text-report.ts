/** The terminal summary of a reconciliation and of a repair plan. */
import type { RepairPlan } from './repair.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from './types.js';

export function textReport(r: ReconcileReport): string {
  const lines: string[] = [];
  lines.push(`reconcile ${r.pipeline} (${r.mode}) — report ${r.reportId}`);
  const status = (byStatus: Record<string, number>) =>
    Object.entries(byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  lines.push(`  type ${r.licenseType}`);
  lines.push(
    `  source: ${r.counts.source.total} licenses (${status(r.counts.source.byStatus)}), ${r.counts.source.quarantined} rows that do not map`,
  );
  lines.push(`  ledger: ${r.counts.ledger.total} licenses (${status(r.counts.ledger.byStatus)})`);
  // Per area (division code): absent in a light check, which reads no payloads.
  for (const side of ['source', 'ledger'] as const) {
    const byArea = r.counts[side].byArea ?? {};
    if (Object.keys(byArea).length > 0) lines.push(`  ${side} by area: ${status(sorted(byArea))}`);
  }
  for (const [t, c] of Object.entries(r.counts.targets)) {
    lines.push(
      'unavailable' in c
        ? `  ${t}: unavailable: ${c.unavailable}`
        : `  ${t}: ${c.total} licenses (${status(c.byStatus)})`,
    );
  }
  lines.push(`  buckets: ${r.buckets.differing} of ${r.buckets.total} differ`);
  if (r.differences === 0) {
    lines.push('  no differences');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`  ${r.differences} differences:`);
  for (const k of DIFFERENCE_KINDS) if (r.byKind[k] > 0) lines.push(`    ${k.padEnd(26)} ${r.byKind[k]}`);
  lines.push('  first differing licenses:');
  for (const d of r.sample.slice(0, 20)) {
    const who = [d.number, d.holderName, d.holderId].filter(Boolean).join(' ');
    lines.push(
      `    ${d.kind.padEnd(26)} key ${d.sourceKey ?? '-'} ${d.licenseId}${d.target ? ` @${d.target}` : ''}${who ? ` (${who})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function textPlan(plan: RepairPlan): string {
  const lines = [`repair plan for ${plan.pipeline} (report ${plan.reportId}):`];
  for (const [action, n] of Object.entries(plan.byAction))
    if (n > 0) lines.push(`  ${action.padEnd(14)} ${n}`);
  for (const i of plan.items.slice(0, 50)) {
    lines.push(
      `    ${i.action.padEnd(14)} ${i.difference.kind.padEnd(26)} ${i.difference.licenseId}${i.difference.target ? ` @${i.difference.target}` : ''}`,
    );
  }
  if (plan.items.length === 0) lines.push('  nothing to repair');
  return `${lines.join('\n')}\n`;
}
