/**
 * RFC 7644 §3.4.2.5: `attributes` names what an answer's resources hold instead of the default set, and
 * `excludedAttributes` what they leave out of it; `id` and `schemas` are always there. Pure.
 */
export interface Projection {
  /** Folded attribute paths (`["name", "givenname"]`); null: the default set. */
  only: string[][] | null;
  excluded: string[][];
}

export const DEFAULT_PROJECTION: Projection = { only: null, excluded: [] };

const ALWAYS = new Set(['id', 'schemas']);

type Json = Record<string, unknown>;

/** The two query parameters, each a comma-separated list of attribute names (with or without their schema's URN). */
export function parseProjection(attributes: string | null, excludedAttributes: string | null): Projection {
  return { only: attributes?.trim() ? paths(attributes) : null, excluded: excludedAttributes?.trim() ? paths(excludedAttributes) : [] };
}

function paths(list: string): string[][] {
  return list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) =>
      name
        .slice(name.lastIndexOf(':') + 1)
        .toLowerCase()
        .split('.'),
    );
}

/** Whether the answer holds this top-level attribute at all (so a group's members need not be read when it does not). */
export function includes(projection: Projection, attribute: string): boolean {
  const key = attribute.toLowerCase();
  if (projection.only) return projection.only.some((path) => path[0] === key);
  return !projection.excluded.some((path) => path.length === 1 && path[0] === key);
}

export function project(resource: Json, projection: Projection): Json {
  if (projection.only) {
    const kept: Json = {};
    for (const [key, value] of Object.entries(resource)) {
      const folded = key.toLowerCase();
      if (ALWAYS.has(folded)) {
        kept[key] = value;
        continue;
      }
      const wanted = projection.only.filter((path) => path[0] === folded);
      if (wanted.length === 0) continue;
      kept[key] = wanted.some((path) => path.length === 1)
        ? value
        : pick(
            value,
            wanted.map((path) => path[1]!),
          );
    }
    return kept;
  }
  if (projection.excluded.length === 0) return resource;
  const kept: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    const folded = key.toLowerCase();
    const excluded = ALWAYS.has(folded) ? [] : projection.excluded.filter((path) => path[0] === folded);
    if (excluded.some((path) => path.length === 1)) continue;
    kept[key] = excluded.length
      ? omit(
          value,
          excluded.map((path) => path[1]!),
        )
      : value;
  }
  return kept;
}

/** The named sub-attributes of a complex value, or of each value of a multi-valued one. */
function pick(value: unknown, subs: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((entry) => pick(entry, subs));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => subs.includes(key.toLowerCase())));
}

function omit(value: unknown, subs: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((entry) => omit(entry, subs));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !subs.includes(key.toLowerCase())));
}
