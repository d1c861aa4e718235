/** Runs `scripts/replay.ts` as a user would (its own node process, from the project root) and collects its output. */
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../lib/paths.js';

export async function replayCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', ...args], {
    cwd: PROJECT_ROOT,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
