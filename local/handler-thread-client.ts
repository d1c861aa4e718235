/**
 * The main thread's side of the handler thread (local/handler-thread.ts): starts it, and gives the
 * executor one LambdaHandler per function that invokes the real handler there. A handler's error
 * comes back with its name and message, so the definition's Retry and Catch match it as before.
 */
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { PROJECT_ROOT } from '../lib/paths.js';
import type { LambdaHandler } from './executor.js';
import type { HandlerThreadData, InvokeMessage, ResultMessage } from './handler-thread.js';
import type { TableEndpoints } from './table-endpoints.js';

export interface HandlerThread {
  /** Invokes the function's handler on the thread; marked `copiesJson` (see invokeLocally). */
  handler(entry: string): LambdaHandler;
  stop(): Promise<void>;
}

export async function startHandlerThread(
  entries: readonly string[],
  tableEndpoints: TableEndpoints = {},
): Promise<HandlerThread> {
  const workerData: HandlerThreadData = { projectRoot: PROJECT_ROOT, entries, tableEndpoints };
  const worker = new Worker(new URL('./handler-thread-entry.mjs', import.meta.url), {
    workerData,
    // The runtime sets the endpoints and table names in process.env before the thread starts.
    env: SHARE_ENV,
    // Handlers' logs go to stderr, never to stdout (replay's result lines).
    stdout: true,
  });
  worker.stdout.pipe(process.stderr);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const waiter of pending.values()) waiter.reject(failure);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: ResultMessage | { ready: true }) => {
      if ('ready' in message) return resolve();
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(JSON.parse(message.resultJson));
      else {
        const { name, message: text, stack } = message.error;
        waiter.reject(Object.assign(new Error(text), { name }, stack ? { stack } : {}));
      }
    });
    worker.on('error', (error) => {
      failAll(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      failAll(new Error(`the handler thread exited with code ${code}`));
      reject(failure);
    });
  });

  const invoke = (entry: string) => (event: unknown, context: Context) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const message: InvokeMessage = {
        id,
        entry,
        functionName: context.functionName,
        eventJson: JSON.stringify(event ?? null),
      };
      worker.postMessage(message);
    });

  return {
    // The event and the result cross as JSON text: the executor need not copy them again.
    handler: (entry) => Object.assign(invoke(entry), { copiesJson: true as const }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
