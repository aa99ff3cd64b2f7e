import { AsyncResource } from 'node:async_hooks';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Gives `AsyncResource.prototype.bind` the behaviour it has from Node 25 on, when the running
 * Node is older: the bound function runs `fn` in the resource's async scope, as before, but no
 * longer carries the deprecated `asyncResource` property (DEP0172, removed by
 * nodejs/node#58618).
 *
 * Why: up to Node 24, every `bind` builds that property as two `util.deprecate` wrappers, and
 * Fastify binds the callback of every request body it parses (`ContentTypeParser.run`). At
 * saturation that was about 3.5 % of the gateway's CPU, for a property nothing reads. Only
 * installed when a probe shows the property is still added; idempotent.
 */
export function useLeanAsyncResourceBind(): void {
  const probe = new AsyncResource('xai.bind-probe');
  const addsProperty = Object.hasOwn(
    probe.bind(() => undefined),
    'asyncResource',
  );
  probe.emitDestroy();
  if (!addsProperty) return;

  // Kept to be called with the resource as `this`, for the arguments the lean one refuses.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const nodeBind = AsyncResource.prototype.bind as (
    this: AsyncResource,
    fn: AnyFunction,
    thisArg?: unknown,
  ) => AnyFunction;
  AsyncResource.prototype.bind = function bind(
    this: AsyncResource,
    fn: AnyFunction,
    thisArg?: unknown,
  ): AnyFunction {
    // Node's own validation and error (ERR_INVALID_ARG_TYPE) for anything but a function.
    if (typeof fn !== 'function') return nodeBind.call(this, fn, thisArg);

    return leanBind(this, fn, thisArg);
  } as AsyncResource['bind'];
}

function leanBind(resource: AsyncResource, fn: AnyFunction, thisArg: unknown): AnyFunction {
  const bound =
    thisArg === undefined
      ? // Named as Node names its own: `bound`.
        function bound(this: unknown, ...args: unknown[]): unknown {
          return resource.runInAsyncScope(fn as (...a: unknown[]) => unknown, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn as (...a: unknown[]) => unknown, thisArg);
  // As Node's own: the bound function reports the arity of the one it wraps.
  Object.defineProperty(bound, 'length', { configurable: true, value: fn.length });

  return bound as AnyFunction;
}
