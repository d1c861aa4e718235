/** The `refund-hub` entry point (bin/refund-hub.mjs, `npm run agent`, `tsx cli/main.ts`). */
import '../local/quiet.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// The SDK's keep-alive sockets and an embedded runtime's timers must not hold the process open;
// the short pause lets stdout drain where pipes are asynchronous.
setTimeout(() => process.exit(code), 50).unref();
