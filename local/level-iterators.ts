/**
 * dynalite 4 streams Query and Scan results from abstract-level 3 iterators and never closes them:
 * it calls `iterator.return()`, which abstract-level iterators do not have, and abstract-level does
 * not close an iterator at its natural end. Each one stays attached to the database (and, with
 * `--data-dir`, keeps a LevelDB snapshot and its memory pinned): about 1.4 leaked iterators per
 * case and most of the local runtime's growth under load. They are closed here, where dynalite runs:
 * at their end, when dynalite's stream is destroyed, or once idle (a Query stopped at its Limit);
 * remove once dynalite closes its iterators itself.
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

/**
 * An iterator nobody has read for this long is closed. dynalite stops reading a Query or Scan at its
 * Limit without closing the stream (the stream has read ahead), so there is no end to close it at.
 * Generous: dynalite reads an iterator without pause while it answers one request.
 */
const IDLE_MS = 10_000;

interface Watch {
  lastRead: number;
  readonly timer: NodeJS.Timeout;
}
const watches = new WeakMap<LevelIterator, Watch>();

function unwatch(iterator: LevelIterator): void {
  const watch = watches.get(iterator);
  if (!watch) return;
  clearInterval(watch.timer);
  watches.delete(iterator);
}

function closeQuietly(iterator: LevelIterator): void {
  unwatch(iterator);
  iterator.close().catch(() => undefined);
}

if (!common[closeAtEnd]) {
  common[closeAtEnd] = true;
  const next = common.next;
  common.next = async function (this: LevelIterator) {
    let watch = watches.get(this);
    if (!watch) {
      const timer = setInterval(() => {
        if (performance.now() - (watches.get(this)?.lastRead ?? 0) >= IDLE_MS) closeQuietly(this);
      }, IDLE_MS);
      timer.unref();
      watch = { lastRead: performance.now(), timer };
      watches.set(this, watch);
    }
    watch.lastRead = performance.now();
    const item = await next.call(this);
    if (item === undefined) {
      unwatch(this);
      await this.close();
    }
    return item;
  };
  // What dynalite's streams call when a consumer destroys them.
  common.return = function (this: LevelIterator) {
    unwatch(this);
    return this.close();
  };
}
