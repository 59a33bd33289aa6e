/** A store seen through a wrapper that writes down each method called on it, in order: how a test counts the store's work. */
export function countedCalls<T extends object>(store: T, calls: string[], name = store.constructor.name): T {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor') return value;
      return (...args: unknown[]) => {
        calls.push(`${name}.${key}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
