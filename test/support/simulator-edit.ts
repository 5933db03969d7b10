/**
 * What a platform might do to the licenses it holds (lose one, roll one back, alter it), done to a
 * demo workspace's province simulator: stopped, its state file's entries edited, and started again
 * on the same port and state file, as the workspace's config names it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ProvinceSimulator,
  readSimulatorState,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { DEMO_SECRET } from './demo-workspace.js';

/** One license as the simulator's state file holds it. */
export interface SimulatorEntry {
  key: string;
  licenseId: string;
  version: number;
  license: Record<string, unknown>;
}

export interface SimulatorState {
  entries: SimulatorEntry[];
}

/** Stops `sim` (of the workspace in `dir`), hands its state to `edit`, and returns it started again. */
export function editSimulator(
  sim: ProvinceSimulator,
  dir: string,
  edit: (state: SimulatorState) => void,
): Promise<ProvinceSimulator> {
  return editSimulatorFile(sim, join(dir, 'data', 'sim.json'), edit);
}

/** Stops `sim`, hands the state in its state `file` to `edit`, and returns it started again on its port. */
export async function editSimulatorFile(
  sim: ProvinceSimulator,
  file: string,
  edit: (state: SimulatorState) => void,
): Promise<ProvinceSimulator> {
  const port = Number(new URL(sim.url).port);
  await sim.close();
  const state = (await readSimulatorState(file)) as SimulatorState;
  edit(state);
  await writeFile(file, JSON.stringify(state));
  return startProvinceSimulator({ port, auth: { appKey: 'test-app', secret: DEMO_SECRET }, stateFile: file });
}
