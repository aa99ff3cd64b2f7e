/**
 * A mock of a class whose every method is a `jest.fn()` created on first use, typed as the
 * class, so a service under test gets its collaborators without a hand-written stub each.
 */
export function typedMock<T extends object>(): jest.Mocked<T> {
  const methods = new Map<PropertyKey, jest.Mock>();

  return new Proxy({} as jest.Mocked<T>, {
    get: (_target, property) => {
      // Not a thenable: `await mock` must not call a mocked `then`.
      if (property === 'then') return undefined;
      let method = methods.get(property);
      if (!method) {
        method = jest.fn();
        methods.set(property, method);
      }

      return method;
    },
  });
}
