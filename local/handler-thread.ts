/**
 * The handlers' own thread (worker_threads): the Lambda functions' real handler modules, loaded
 * here and invoked by the runtime's executor on the main thread through messages, much as Lambda
 * runs a function in its own sandbox. Their SDK clients reach the emulators over loopback as they
 * do in-process; the environment is shared with the main thread (SHARE_ENV).
 *
 * Why: on a 2-core machine the main thread runs the state machine and the emulators while this
 * thread runs the handlers and their SDK calls, in one process that warms its code once.
 */
import './quiet.js';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import * as handlerClients from '../functions/shared/clients.js';
import { signForEmulators } from './emulator-signing.js';
import type { LambdaHandler } from './executor.js';
import { lambdaContext } from './lambda-context.js';
import { routeTables, type TableEndpoints } from './table-endpoints.js';

export interface HandlerThreadData {
  readonly projectRoot: string;
  readonly entries: readonly string[];
  /** Tables another endpoint serves (replay's shared budget): the handlers' client sends their calls there. */
  readonly tableEndpoints: TableEndpoints;
}

/** The event and the result cross as JSON text, as they do between Step Functions and Lambda. */
export type InvokeMessage = {
  readonly id: number;
  readonly entry: string;
  readonly functionName: string;
  readonly eventJson: string;
};

export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly resultJson: string }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
    };

const port = parentPort;
if (!port) throw new Error('local/handler-thread.ts runs as a worker thread of the embedded runtime');
const { projectRoot, entries, tableEndpoints } = workerData as HandlerThreadData;

const handlers = new Map<string, LambdaHandler>();
for (const entry of entries) {
  const module = (await import(pathToFileURL(path.join(projectRoot, entry)).href)) as {
    handler: LambdaHandler;
  };
  handlers.set(entry, module.handler);
}
// The same module instance the handlers imported: every client they share, built at load.
signForEmulators(Object.values(handlerClients));
routeTables(Object.values(handlerClients), tableEndpoints);

port.on('message', (message: InvokeMessage) => {
  const handler = handlers.get(message.entry);
  const reply = (result: ResultMessage) => port.postMessage(result);
  if (!handler) {
    reply({ id: message.id, ok: false, error: { name: 'Error', message: `No handler ${message.entry}` } });
    return;
  }
  Promise.resolve()
    .then(() => handler(JSON.parse(message.eventJson), lambdaContext(message.functionName)))
    .then(
      (result) => reply({ id: message.id, ok: true, resultJson: JSON.stringify(result ?? null) }),
      (error: Error) =>
        reply({
          id: message.id,
          ok: false,
          error: {
            name: error?.name ?? 'Error',
            message: error?.message ?? String(error),
            stack: error?.stack,
          },
        }),
    );
});
port.postMessage({ ready: true });
