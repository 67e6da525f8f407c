/**
 * SCIM 2.0 filters and attribute paths (RFC 7644 §3.4.2.2, §3.5.2) for Users and Groups, parsed by recursive descent
 * into conditions on the attributes Roster keeps, one vocabulary per resource type. Pure: no I/O. Every failure is a ScimFilterError with a sentence, so
 * whatever an identity provider sends is either a filter or an `invalidFilter` answer.
 */

/** The User attributes Roster stores, as filters and PATCH paths name them (attribute names are case-insensitive). */
export type UserAttribute =
  | 'id'
  | 'userName'
  | 'givenName'
  | 'familyName'
  | 'displayName'
  | 'email'
  | 'emailType'
  | 'emailPrimary'
  | 'active'
  | 'externalId'
  | 'created'
  | 'lastModified';

/** The Group attributes Roster filters on: a member is named by its User id (`members.value`) or its display name. */
export type GroupAttribute = 'id' | 'displayName' | 'externalId' | 'memberValue' | 'memberDisplay' | 'created' | 'lastModified';

export type AttributeType = 'string' | 'caseExactString' | 'boolean' | 'dateTime';

/** What one resource type's filters and paths may name: its schema, attribute paths and their types. */
export interface FilterVocabulary<A extends string, W extends string> {
  /** "User", as sentences name the resource. */
  resource: string;
  schema: string;
  paths: ReadonlyMap<string, A>;
  types: { readonly [K in A]: AttributeType };
  /** Attributes compared only for equality (ids). */
  equalityOnly: ReadonlySet<A>;
  /** Complex or multi-valued attributes a PATCH path may name whole (`name`, `emails`, `members`). */
  wholes: ReadonlySet<W>;
  /** Multi-valued attributes whose values a `[...]` filter selects: sub-attribute names resolve under them. */
  valueParents: ReadonlySet<W>;
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Each attribute's type, after RFC 7643: userName, names and emails compare case-insensitively; id and externalId exactly. */
export const USER_ATTRIBUTE_TYPES: { readonly [A in UserAttribute]: AttributeType } = {
  id: 'caseExactString',
  userName: 'string',
  givenName: 'string',
  familyName: 'string',
  displayName: 'string',
  email: 'string',
  emailType: 'string',
  emailPrimary: 'boolean',
  active: 'boolean',
  externalId: 'caseExactString',
  created: 'dateTime',
  lastModified: 'dateTime',
};

export const USER_VOCABULARY: FilterVocabulary<UserAttribute, 'name' | 'emails'> = {
  resource: 'User',
  schema: USER_SCHEMA,
  paths: new Map([
    ['id', 'id'],
    ['username', 'userName'],
    ['name.givenname', 'givenName'],
    ['name.familyname', 'familyName'],
    ['name.formatted', 'displayName'],
    ['displayname', 'displayName'],
    ['emails', 'email'],
    ['emails.value', 'email'],
    ['emails.type', 'emailType'],
    ['emails.primary', 'emailPrimary'],
    ['active', 'active'],
    ['externalid', 'externalId'],
    ['meta.created', 'created'],
    ['meta.lastmodified', 'lastModified'],
  ]),
  types: USER_ATTRIBUTE_TYPES,
  equalityOnly: new Set(['id']),
  wholes: new Set(['name', 'emails']),
  valueParents: new Set(['emails']),
};

/** RFC 7643 §4.2: a group's displayName compares case-insensitively; ids, external IDs and member values exactly. */
export const GROUP_ATTRIBUTE_TYPES: { readonly [A in GroupAttribute]: AttributeType } = {
  id: 'caseExactString',
  displayName: 'string',
  externalId: 'caseExactString',
  memberValue: 'caseExactString',
  memberDisplay: 'string',
  created: 'dateTime',
  lastModified: 'dateTime',
};

export const GROUP_VOCABULARY: FilterVocabulary<GroupAttribute, 'members'> = {
  resource: 'Group',
  schema: GROUP_SCHEMA,
  paths: new Map([
    ['id', 'id'],
    ['displayname', 'displayName'],
    ['externalid', 'externalId'],
    ['members', 'memberValue'],
    ['members.value', 'memberValue'],
    ['members.display', 'memberDisplay'],
    ['meta.created', 'created'],
    ['meta.lastmodified', 'lastModified'],
  ]),
  types: GROUP_ATTRIBUTE_TYPES,
  equalityOnly: new Set(['id', 'memberValue']),
  wholes: new Set(['members']),
  valueParents: new Set(['members']),
};

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARE_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDERING_OPERATORS = new Set<CompareOperator>(['gt', 'ge', 'lt', 'le']);
const SUBSTRING_OPERATORS = new Set<CompareOperator>(['co', 'sw', 'ew']);

export type ScimFilter<A extends string> =
  | { kind: 'and' | 'or'; left: ScimFilter<A>; right: ScimFilter<A> }
  | { kind: 'not'; filter: ScimFilter<A> }
  | { kind: 'present'; attribute: A }
  | { kind: 'compare'; attribute: A; op: CompareOperator; value: string | boolean | Date };

export type UserFilter = ScimFilter<UserAttribute>;
export type GroupFilter = ScimFilter<GroupAttribute>;

/** RFC 7644 §3.12's `scimType` values that Roster answers with. */
export type ScimType = 'invalidFilter' | 'invalidPath' | 'invalidValue' | 'invalidSyntax' | 'mutability' | 'noTarget' | 'uniqueness';

/** A request SCIM refuses with a 400 and its `scimType`; the message is the sentence in `detail`. */
export class ScimError extends Error {
  readonly scimType: ScimType;

  constructor(scimType: ScimType, message: string) {
    super(message);
    this.name = 'ScimError';
    this.scimType = scimType;
  }
}

export class ScimFilterError extends ScimError {
  constructor(message: string) {
    super('invalidFilter', message);
    this.name = 'ScimFilterError';
  }
}

/** Longer filters, or deeper nesting, are refused rather than parsed: no identity provider sends them. */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | '[' | ']'; at: number }
  | { kind: 'end'; at: number };

/** Parses a filter of one resource type (`userName eq "bjensen" and not (emails[type eq "work"].value ew "@example.com")`). */
export function parseFilter<A extends string, W extends string>(vocabulary: FilterVocabulary<A, W>, text: string): ScimFilter<A> {
  if (text.length > MAX_FILTER_LENGTH) throw new ScimFilterError(`A filter must be at most ${MAX_FILTER_LENGTH} characters.`);
  const parser = new Parser(vocabulary, tokenize(text));
  const filter = parser.filter(0, undefined);
  parser.expectEnd();
  return filter;
}

export function parseUserFilter(text: string): UserFilter {
  return parseFilter(USER_VOCABULARY, text);
}

export function parseGroupFilter(text: string): GroupFilter {
  return parseFilter(GROUP_VOCABULARY, text);
}

/** A PATCH path: an attribute, or a complex one whole, optionally with a value filter (`emails[type eq "work"].value`). */
export interface ScimPath<A extends string, W extends string> {
  attribute: A | W;
  /** The filter of `emails[...]`, resolved under its parent. */
  valueFilter?: ScimFilter<A>;
}

export type UserPath = ScimPath<UserAttribute, 'name' | 'emails'>;
export type GroupPath = ScimPath<GroupAttribute, 'members'>;

export function parsePathOf<A extends string, W extends string>(vocabulary: FilterVocabulary<A, W>, text: string): ScimPath<A, W> {
  if (text.length > MAX_FILTER_LENGTH) throw new ScimFilterError(`A path must be at most ${MAX_FILTER_LENGTH} characters.`);
  const parser = new Parser(vocabulary, tokenize(text));
  const path = parser.path();
  parser.expectEnd();
  return path;
}

export function parseUserPath(text: string): UserPath {
  return parsePathOf(USER_VOCABULARY, text);
}

export function parseGroupPath(text: string): GroupPath {
  return parsePathOf(GROUP_VOCABULARY, text);
}

/** An attribute name as a filter or path writes it, without its schema's URN (the User schema's by default), folded for lookup. */
export function attributeKey(name: string, schema: string = USER_SCHEMA): string {
  const folded = name.toLowerCase();
  const urn = `${schema.toLowerCase()}:`;
  return folded.startsWith(urn) ? folded.slice(urn.length) : folded;
}

const WORD = /[A-Za-z0-9_:.$+-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new ScimFilterError(`The string that starts at character ${start + 1} is not closed with ".`);
      i++;
      let value: unknown;
      try {
        value = JSON.parse(text.slice(start, i));
      } catch {
        throw new ScimFilterError(`The string that starts at character ${start + 1} has an escape JSON does not know.`);
      }
      tokens.push({ kind: 'string', value: value as string, at: start });
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    } else {
      throw new ScimFilterError(`Character ${i + 1} (“${c}”) has no place in a filter.`);
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

class Parser<A extends string, W extends string> {
  private position = 0;
  private readonly vocabulary: FilterVocabulary<A, W>;
  private readonly tokens: Token[];

  constructor(vocabulary: FilterVocabulary<A, W>, tokens: Token[]) {
    this.vocabulary = vocabulary;
    this.tokens = tokens;
  }

  private key(name: string): string {
    return attributeKey(name, this.vocabulary.schema);
  }

  private isWhole(key: string): key is W {
    return this.vocabulary.wholes.has(key as W);
  }

  private isValueParent(key: string): key is W {
    return this.vocabulary.valueParents.has(key as W);
  }

  /** FILTER = term *("or" term) */
  filter(depth: number, parent: string | undefined): ScimFilter<A> {
    if (depth > MAX_DEPTH) throw new ScimFilterError(`A filter may nest at most ${MAX_DEPTH} levels deep.`);
    let left = this.conjunction(depth, parent);
    while (this.isKeyword('or')) {
      this.position++;
      left = { kind: 'or', left, right: this.conjunction(depth, parent) };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw new ScimFilterError(`Unexpected ${describe(token)} at character ${token.at + 1}.`);
  }

  path(): ScimPath<A, W> {
    const name = this.word('an attribute name');
    const key = this.key(name);
    if (this.isPunct('[')) {
      if (!this.isValueParent(key)) throw new ScimFilterError(`“${name}” has no values to select with [...].`);
      this.position++;
      const valueFilter = this.filter(1, key);
      this.expectPunct(']');
      if (this.peek().kind === 'end') return { attribute: key, valueFilter };
      const sub = this.word('a sub-attribute such as .value');
      if (!sub.startsWith('.')) throw new ScimFilterError(`After ${name}[...] comes a sub-attribute such as .value, not “${sub}”.`);
      return { attribute: this.resolve(`${key}${sub.toLowerCase()}`, name + sub), valueFilter };
    }
    if (this.isWhole(key)) return { attribute: key };
    return { attribute: this.resolve(key, name) };
  }

  /** term = factor *("and" factor) */
  private conjunction(depth: number, parent: string | undefined): ScimFilter<A> {
    let left = this.factor(depth, parent);
    while (this.isKeyword('and')) {
      this.position++;
      left = { kind: 'and', left, right: this.factor(depth, parent) };
    }
    return left;
  }

  /** factor = "not" "(" FILTER ")" / "(" FILTER ")" / attrPath "pr" / attrPath compareOp value / attrPath "[" valFilter "]" */
  private factor(depth: number, parent: string | undefined): ScimFilter<A> {
    if (this.isKeyword('not')) {
      this.position++;
      this.expectPunct('(');
      const filter = this.filter(depth + 1, parent);
      this.expectPunct(')');
      return { kind: 'not', filter };
    }
    if (this.isPunct('(')) {
      this.position++;
      const filter = this.filter(depth + 1, parent);
      this.expectPunct(')');
      return filter;
    }
    const name = this.word('an attribute name');
    const key = parent ? `${parent}.${this.key(name)}` : this.key(name);
    if (this.isPunct('[')) {
      if (parent || !this.isValueParent(key)) throw new ScimFilterError(`“${name}” has no values to select with [...].`);
      this.position++;
      const inner = this.filter(depth + 1, key);
      this.expectPunct(']');
      const after = this.peek();
      if (after.kind === 'word' && after.text.startsWith('.')) {
        // `emails[type eq "work"].value eq "x"`: the value of that type, compared (Roster keeps one email; a member is one value).
        this.position++;
        return { kind: 'and', left: inner, right: this.comparison(this.resolve(`${key}${after.text.toLowerCase()}`, name + after.text)) };
      }
      return inner;
    }
    return this.comparison(this.resolve(key, name));
  }

  private comparison(attribute: A): ScimFilter<A> {
    const opText = this.word('an operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le)').toLowerCase();
    if (opText === 'pr') return { kind: 'present', attribute };
    if (!COMPARE_OPERATORS.has(opText)) throw new ScimFilterError(`“${opText}” is not a filter operator; use eq, ne, co, sw, ew, pr, gt, ge, lt or le.`);
    const op = opText as CompareOperator;
    return { kind: 'compare', attribute, op, value: this.value(attribute, op) };
  }

  private value(attribute: A, op: CompareOperator): string | boolean | Date {
    const type = this.vocabulary.types[attribute];
    const token = this.peek();
    this.position++;
    if (type === 'boolean') {
      if (op !== 'eq' && op !== 'ne') throw new ScimFilterError(`${attribute} is true or false: compare it with eq or ne.`);
      const word = token.kind === 'word' ? token.text : token.kind === 'string' ? token.value : '';
      if (/^true$/i.test(word)) return true;
      if (/^false$/i.test(word)) return false;
      throw new ScimFilterError(`${attribute} is compared with true or false.`);
    }
    if (token.kind !== 'string') throw new ScimFilterError(`${attribute} ${op} needs a quoted value, as in ${attribute} ${op} "text".`);
    if (type === 'dateTime') {
      if (SUBSTRING_OPERATORS.has(op)) throw new ScimFilterError(`${attribute} is a date: compare it with eq, ne, gt, ge, lt or le.`);
      const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(token.value) ? new Date(token.value) : undefined;
      if (!at || Number.isNaN(at.getTime())) throw new ScimFilterError(`${attribute} is compared with a date such as "2026-12-01T09:00:00Z".`);
      return at;
    }
    if (ORDERING_OPERATORS.has(op) && this.vocabulary.equalityOnly.has(attribute)) throw new ScimFilterError(`${attribute} is compared with eq or ne.`);
    return token.value;
  }

  private resolve(key: string, written: string): A {
    const attribute = this.vocabulary.paths.get(key);
    if (!attribute) throw new ScimFilterError(`“${written}” is not a ${this.vocabulary.resource} attribute Roster filters on.`);
    return attribute;
  }

  private word(what: string): string {
    const token = this.peek();
    if (token.kind !== 'word') throw new ScimFilterError(`Expected ${what} at character ${token.at + 1}, found ${describe(token)}.`);
    this.position++;
    return token.text;
  }

  private expectPunct(text: '(' | ')' | ']'): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) throw new ScimFilterError(`Expected “${text}” at character ${token.at + 1}, found ${describe(token)}.`);
    this.position++;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? this.tokens[this.tokens.length - 1]!;
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  if (token.kind === 'string') return 'a quoted string';
  return `“${token.text}”`;
}
