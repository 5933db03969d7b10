/**
 * The province simulator in a process of its own, for benchmarks: its CPU time and memory are then
 * not counted as licbridge's. Prints `{"url":…}` on one line once it listens; stops on SIGTERM.
 *
 * `node dist-bench/bench/support/province-sim-process.js <appKey> <secret> [stateFile]`
 */
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';

const [appKey, secret, stateFile] = process.argv.slice(2);
if (!appKey || !secret) throw new Error('province-sim-process: expected <appKey> <secret> [stateFile]');
const sim = await startProvinceSimulator({
  auth: { appKey, secret },
  ...(stateFile ? { stateFile } : {}),
});
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
process.on('SIGTERM', () => {
  const s = sim.stats();
  void sim.close().then(() => {
    process.stderr.write(`${JSON.stringify({ accepted: s.accepted, duplicates: s.duplicates })}\n`);
    process.exit(0);
  });
});
