/**
 * `metrics.prefix` starts every Prometheus metric name, and took the queue prefix's characters
 * (`-`, `.`, `{`, `}`): `prefix: lb-` loaded, `config check` said ok, and `licbridge serve` failed
 * at start with prom-client's "Invalid metric name", naming no file or line. A prefix is now held
 * to what a metric name may hold, at its line.
 */
import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

describe('metrics.prefix', () => {
  it.each(['lb-', 'lb.', '{lb}_', '9lb_'])('`%s` is refused at its line', async (prefix) => {
    const text = `${VALID_CONFIG}metrics: { prefix: "${prefix}" }\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['metrics.prefix']);
    expect(problems[0]?.line).toBe(positionOf(text, 'metrics:').line);
    expect(problems[0]?.message).toContain('Prometheus');
  });

  it.each(['licbridge_', '_x', 'District7_'])(
    '`%s` loads, and every metric name it starts is one Prometheus takes',
    async (prefix) => {
      const file = await writeConfig(`${VALID_CONFIG}metrics: { prefix: "${prefix}" }\n`, {
        'data/keys/seal.key.pem': KEY_PEM,
      });
      const config = await loadConfig({ file, env: {} });
      expect(config.metrics.prefix).toBe(prefix);
      expect(() => new Gauge({ name: `${prefix}runs_total`, help: 'h', registers: [] })).not.toThrow();
    },
  );
});
