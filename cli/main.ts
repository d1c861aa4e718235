/** The `refund-hub` entry point (bin/refund-hub.mjs, `npm run agent`, `tsx cli/main.ts`). */
import '../local/quiet.js';
import { runCli } from './program.js';

// `refund-hub history ... | head`: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// The SDK's keep-alive sockets and an embedded runtime's timers must not hold the process open;
// the short pause lets stdout drain where pipes are asynchronous.
setTimeout(() => process.exit(code), 50).unref();
