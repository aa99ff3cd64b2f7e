import { AsyncResource, executionAsyncId } from 'node:async_hooks';

import { useLeanAsyncResourceBind } from './lean-async-resource-bind';

describe(useLeanAsyncResourceBind.name, () => {
  const nodeBind = AsyncResource.prototype.bind;

  afterAll(() => {
    AsyncResource.prototype.bind = nodeBind;
  });

  beforeAll(() => {
    useLeanAsyncResourceBind();
  });

  it('binds without the deprecated asyncResource property', () => {
    const bound = new AsyncResource('test').bind(() => undefined);

    expect(Object.hasOwn(bound, 'asyncResource')).toBe(false);
  });

  it("runs the function in the resource's async scope, with the caller's this and arguments", () => {
    const resource = new AsyncResource('test');
    const bound = resource.bind(function (this: unknown, a: number, b: number) {
      return { scope: executionAsyncId(), self: this, sum: a + b };
    });
    const self = { name: 'caller' };

    const result = bound.call(self, 2, 3);

    expect(result).toEqual({ scope: resource.asyncId(), self, sum: 5 });
  });

  it('binds this when asked, as Function.prototype.bind does', () => {
    const self = { name: 'given' };
    const bound = AsyncResource.bind(
      function (this: unknown) {
        return this;
      },
      'test',
      self,
    );

    expect(bound.call({ name: 'other' })).toBe(self);
  });

  it('keeps the arity of the bound function, and names it as Node does', () => {
    const bound = new AsyncResource('test').bind((_a: number, _b: string, _c: boolean) => 0);

    expect(bound.length).toBe(3);
    expect(bound.name).toBe(nodeBind.call(new AsyncResource('test'), () => 0).name);
  });

  it('works for the static AsyncResource.bind too', () => {
    const bound = AsyncResource.bind(() => executionAsyncId());

    expect(Object.hasOwn(bound, 'asyncResource')).toBe(false);
    expect(bound()).not.toBe(executionAsyncId());
  });

  it("refuses what is not a function with Node's own error", () => {
    const resource = new AsyncResource('test');

    expect(() => resource.bind(42 as unknown as () => void)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('installs once: a second call leaves the lean bind in place', () => {
    const installed = AsyncResource.prototype.bind;

    useLeanAsyncResourceBind();

    expect(AsyncResource.prototype.bind).toBe(installed);
    expect(installed).not.toBe(nodeBind);
  });
});
