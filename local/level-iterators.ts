/**
 * dynalite 4 streams Query and Scan results from abstract-level 3 iterators and never closes them:
 * it calls `iterator.return()`, which abstract-level iterators do not have, and abstract-level does
 * not close an iterator at its natural end. Each one stays attached to the database (and, with
 * `--data-dir`, keeps a LevelDB snapshot and its memory pinned): about one leaked iterator per case
 * and most of the local runtime's growth under load. Closing them here, where dynalite runs, keeps
 * its memory flat; remove once dynalite closes its iterators itself.
 */
import { createRequire } from 'node:module';

interface LevelIterator {
  next(): Promise<unknown>;
  close(): Promise<void>;
  return?: () => Promise<void>;
}

const require = createRequire(import.meta.url);
// Resolved from dynalite's own folder: the abstract-level its databases are built on.
const abstractLevel = require(
  require.resolve('abstract-level', { paths: [require.resolve('dynalite')] }),
) as {
  AbstractIterator: { prototype: LevelIterator };
};
/** CommonIterator.prototype: what entry, key and value iterators share (`next`, `close`). */
const common = Object.getPrototypeOf(abstractLevel.AbstractIterator.prototype) as LevelIterator & {
  [closeAtEnd]?: true;
};
const closeAtEnd = Symbol.for('refund-hub.close-level-iterators-at-end');

if (!common[closeAtEnd]) {
  common[closeAtEnd] = true;
  const next = common.next;
  common.next = async function (this: LevelIterator) {
    const item = await next.call(this);
    if (item === undefined) await this.close();
    return item;
  };
  // What dynalite's streams call when a consumer stops early (a Limit, a page).
  common.return = function (this: LevelIterator) {
    return this.close();
  };
}
