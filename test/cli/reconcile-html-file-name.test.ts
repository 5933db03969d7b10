/**
 * `reconcile --html FILE` over several pipelines writes one report per pipeline, its name put
 * before the extension so each file still opens as HTML, whatever the case the extension was
 * written in: `report.HTML` gave `report.HTML-food`.
 */
import { describe, expect, it } from 'vitest';
import { pipelineHtmlFile } from '../../cli/commands/reconcile.js';

describe('reconcile --html file of each pipeline', () => {
  it('puts the pipeline before the extension in any case', () => {
    expect(pipelineHtmlFile('report.html', 'food')).toBe('report-food.html');
    expect(pipelineHtmlFile('report.HTML', 'food')).toBe('report-food.HTML');
    expect(pipelineHtmlFile('out/Report.Htm', 'food')).toBe('out/Report-food.Htm');
  });

  it('appends the pipeline to a name without the extension', () => {
    expect(pipelineHtmlFile('report', 'food')).toBe('report-food');
    expect(pipelineHtmlFile('report.html.bak', 'food')).toBe('report.html.bak-food');
  });
});
