// Worker threads start without the main thread's TypeScript loader: register tsx, then load the thread.
import { register } from 'tsx/esm/api';

register();
await import('./handler-thread.ts');
