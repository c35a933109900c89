/**
 * @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API
 * (normally the `reflect-metadata` package, not installed here). This is the small subset it
 * uses, installed only when absent. Import it before @peculiar/x509.
 */
type Target = object;
const store = new WeakMap<Target, Map<string | symbol | undefined, Map<unknown, unknown>>>();

function table(target: Target, property: string | symbol | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) {
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let t = byProperty?.get(property);
  if (!t && create && byProperty) {
    t = new Map();
    byProperty.set(property, t);
  }
  return t;
}

const api = {
  defineMetadata(key: unknown, value: unknown, target: Target, property?: string | symbol) {
    table(target, property, true)?.set(key, value);
  },
  getOwnMetadata(key: unknown, target: Target, property?: string | symbol) {
    return table(target, property, false)?.get(key);
  },
  getMetadata(key: unknown, target: Target, property?: string | symbol): unknown {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t)) {
      const found = table(t, property, false);
      if (found?.has(key)) return found.get(key);
    }
    return undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: Target, property?: string | symbol) => api.defineMetadata(key, value, target, property);
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') Object.assign(reflect, api);
