import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { quietLogger } from './ops-fixtures.js';

export const FOOD_PIPELINE = 'food-business-licenses';

/** A demo workspace of `rows` source rows whose food pipeline has run once. The caller cleans it up. */
export async function foodRunWorkspace(rows: number): Promise<DemoWorkspace> {
  const ws = await createDemoWorkspace({ rows });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  await runPipelines(config, { pipelines: [FOOD_PIPELINE], full: false, logger: quietLogger() });
  return ws;
}
