/**
 * AWS SDK clients, created once per Lambda process at module load (not per invocation).
 * Endpoints follow the SDK's standard `AWS_ENDPOINT_URL[_SERVICE]` variables, which is how the
 * embedded runtime and LocalStack point the same code at loopback emulators.
 *
 * One module per client: a handler imports only the clients it calls (`./document-client.js`, `./sns-client.js`,
 * `./sfn-client.js`), so its cold start loads no other SDK client (esbuild keeps every external `require` it
 * sees). This module gathers the same instances for the embedded runtime, which signs all of them for the emulators.
 */
export { documentClient } from './document-client.js';
export { sfnClient } from './sfn-client.js';
export { snsClient } from './sns-client.js';
