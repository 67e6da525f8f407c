import type { AttributeType, CompareOperator, ScimFilter } from '../domain/scimFilter.ts';
import { escapeLike } from './like.ts';

export interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * An attribute as an SQL expression. A multi-valued one (a group's members) is compared inside `around`, an EXISTS
 * over its values: RFC 7644 §3.4.2.2 has a filter on a multi-valued attribute match when any value does.
 */
export interface Column extends Sql {
  around?: (condition: string) => string;
}

const COMPARISONS: { readonly [O in Exclude<CompareOperator, 'co' | 'sw' | 'ew'>]: string } = {
  eq: '=',
  ne: 'is distinct from',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** A SCIM filter as one parameterised condition over a resource's columns: values only ever travel as parameters. */
export function scimFilterSql<A extends string>(
  filter: ScimFilter<A>,
  columns: { readonly [K in A]: Column },
  types: { readonly [K in A]: AttributeType },
): Sql {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const left = scimFilterSql(filter.left, columns, types);
      const right = scimFilterSql(filter.right, columns, types);
      return { sql: `(${left.sql} ${filter.kind} ${right.sql})`, params: [...left.params, ...right.params] };
    }
    case 'not': {
      // A comparison with a missing value (no externalId) is unknown in SQL; `not` of it must hold, as in SCIM.
      const inner = scimFilterSql(filter.filter, columns, types);
      return { sql: `(not coalesce(${inner.sql}, false))`, params: inner.params };
    }
    case 'present': {
      const column = columns[filter.attribute];
      const type = types[filter.attribute];
      const text = type === 'string' || type === 'caseExactString';
      const sql = text ? `(${column.sql} is not null and ${column.sql} <> '')` : `(${column.sql} is not null)`;
      return within(column, { sql, params: text ? [...column.params, ...column.params] : column.params });
    }
    case 'compare': {
      const column = columns[filter.attribute];
      const type = types[filter.attribute];
      const value = type === 'string' && typeof filter.value === 'string' ? filter.value.toLowerCase() : filter.value;
      if (filter.op === 'co' || filter.op === 'sw' || filter.op === 'ew') {
        const text = escapeLike(String(value));
        const pattern = filter.op === 'co' ? `%${text}%` : filter.op === 'sw' ? `${text}%` : `%${text}`;
        return within(column, { sql: `(${column.sql} like ?)`, params: [...column.params, pattern] });
      }
      return within(column, { sql: `(${column.sql} ${COMPARISONS[filter.op]} ?)`, params: [...column.params, value] });
    }
  }
}

function within(column: Column, condition: Sql): Sql {
  return column.around ? { sql: column.around(condition.sql), params: condition.params } : condition;
}

/** `<alias>.organisation_id` is one of these (null: any organisation). */
export function inOrganisations(organisationIds: readonly string[] | null, alias = 'a'): Sql {
  if (organisationIds === null) return { sql: 'true', params: [] };
  if (organisationIds.length === 0) return { sql: 'false', params: [] };
  return { sql: `${alias}.organisation_id in (${organisationIds.map(() => '?').join(', ')})`, params: [...organisationIds] };
}
