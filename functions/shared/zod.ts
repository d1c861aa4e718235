/**
 * `zod/mini` with classic `zod`'s English messages: the Lambdas validate with the tree-shakable `zod/mini` (about
 * 70 KB smaller and a quarter of the load time of classic `zod`), which loads no locale of its own. Classic `zod`
 * sets the English locale on import; this module does the same, so a refused payload reads the same words
 * (`Invalid input: expected string, received undefined`). Import it as `import * as z from '../shared/zod.js'`.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
