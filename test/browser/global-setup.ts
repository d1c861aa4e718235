/** Builds web/dist once before the test files run (in parallel forks, each building it would race on the folder). */
import { ensureWebBuilt } from '../../scripts/build-web.js';

export default async function setup() {
  await ensureWebBuilt();
}
