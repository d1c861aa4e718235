/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node 22+) inside every Task state.
 * On Node 20 that call throws a TypeError that surfaces as an ordinary Task error, which the
 * definition's Catch then routes to a person: every case would "work" and be wrong. Provide it.
 */
type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (v: T | PromiseLike<T>) => void;
  reject: (e?: unknown) => void;
};

const promiseCtor = Promise as unknown as { withResolvers?: WithResolvers };
if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = <T>() => {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
