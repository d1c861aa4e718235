import { fileURLToPath } from 'node:url';

/** The repository root, for Lambda entry points and the lock file esbuild bundles against. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
