/**
 * Schemas of the API contract built from the domain's field declarations: the registry's columns
 * (registry/columns.ts: type, code table, limits, whether it may be cleared) and the warning rules' fact fields
 * (rules/environment.ts). One property per column, so that the OpenAPI document lists every field, the server's
 * validator refuses an unknown key or a value of the wrong type with the field named, and the TypeScript types of
 * the request and response parts are the fields' real types (code unions, numbers, booleans, lists).
 *
 * Nullable fields are written as JSON Schema type lists (`["integer", "null"]`), not as unions: the server's validator
 * coerces types (query strings), and with a union it would turn null into 0 or false (and 0 into null) before a
 * service saw it; with a type list a value that already has one of the types is left as it is.
 *
 * Every property carries its Chinese column header as `title`: the server names the field by it in a refusal
 * (http/validation.ts), in the wording of the domain validation (务工时间（月）不能大于12). Codes are typed as their
 * tables' codes; in a request they are checked by the domain validation (which reports all problems of a form
 * together), in a response they are listed as the schema's enum.
 */
import { Type, type TUnsafe } from 'typebox';
import { getField, type Column } from '../registry/columns';
import type { CodeOf, CodeTable } from '../registry/codes';
import { TEXT_LIMITS } from '../registry/limits';
import { TEXT } from './schemas';
import type { RuleField, RuleFieldType } from '../rules/environment';

type TableOf<C> = C extends { readonly table: infer T extends CodeTable } ? T : never;

/** The value type of a column, without null. */
export type ColumnBase<C extends Column> = C['type'] extends 'code'
  ? CodeOf<TableOf<C>>
  : C['type'] extends 'codes'
    ? CodeOf<TableOf<C>>[]
    : C['type'] extends 'number' | 'integer'
      ? number
      : C['type'] extends 'boolean'
        ? boolean
        : string;

/** What a request may send for a column: null clears it (stored as its `cleared` value), unless it is required. */
export type ColumnInput<C extends Column> = C extends { readonly required: true } ? ColumnBase<C> : ColumnBase<C> | null;
/** What is read back: never null when required or stored as a default when cleared. */
export type ColumnOutput<C extends Column> = C extends { readonly required: true } | { readonly cleared: unknown } ? ColumnBase<C> : ColumnBase<C> | null;

type Dotless<K extends string> = K extends `${string}.${string}` ? never : K;
type GroupOf<K extends string> = K extends `${infer G}.${string}` ? G : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * A request object of columns: every field optional; `land.cultivated`-style keys nested (`{ land: { cultivated } }`).
 */
export type ColumnsInput<C extends Column> = Simplify<
  { [K in C as Dotless<K['key']>]?: ColumnInput<K> } & {
    [G in GroupOf<C['key']>]?: Simplify<{ [K in C as K['key'] extends `${G}.${infer R}` ? R : never]?: ColumnInput<K> }>;
  }
>;

type FlatKey<K extends string> = K extends `${infer G}.${infer R}` ? `${G}${Capitalize<R>}` : K;
/** A response object of columns: every field present; `land.cultivated`-style keys flat (`landCultivated`). */
export type ColumnsOutput<C extends Column> = Simplify<{ [K in C as FlatKey<K['key']>]: ColumnOutput<K> }>;

const flatKey = (key: string) => key.replace(/\.(\w)/g, (_m, ch: string) => ch.toUpperCase());
const codesOf = (col: Column) => {
  if (!col.table) throw new Error(`column ${col.key} has no code table`);
  return col.table.map((e) => e.code);
};
const typed = (type: string, nullable: boolean) => (nullable ? [type, 'null'] : type);
const codeList = (col: Column) => `Codes: ${col.table!.map((e) => `${e.code} (${e.zh})`).join(', ')}`;

/**
 * The schema of one column's value. In a request the bounds of the column apply (a number or integer column must
 * declare them); a response carries the types and codes only.
 */
export function columnSchema(col: Column, mode: 'input' | 'output'): Record<string, unknown> {
  const input = mode === 'input';
  const nullable = !col.required && (input || col.cleared === undefined);
  const title = col.header;
  switch (col.type) {
    case 'text':
      return input
        ? { type: typed('string', nullable), maxLength: col.maxLength ?? TEXT_LIMITS.cell, ...(col.pattern !== undefined && { pattern: col.pattern }), title }
        : { type: typed('string', nullable), title };
    case 'date':
      return { type: typed('string', nullable), format: 'date', ...(input && { maxLength: 10 }), title };
    // A code is checked against its table by the domain validation, with the other rules of the record, so that a
    // refusal lists every problem of a form at once; the request schema bounds it and lists the codes.
    case 'code':
      return input
        ? { type: typed('string', nullable), maxLength: TEXT.code, title, description: codeList(col) }
        : { type: typed('string', nullable), enum: nullable ? [...codesOf(col), null] : codesOf(col), title };
    case 'codes':
      return input
        ? { type: typed('array', nullable), items: { type: 'string', maxLength: TEXT.code, title }, maxItems: codesOf(col).length, title, description: codeList(col) }
        : { type: typed('array', nullable), items: { type: 'string', enum: codesOf(col), title }, title };
    case 'number':
    case 'integer': {
      if (input && (col.min === undefined || col.max === undefined)) throw new Error(`column ${col.key} has no bounds`);
      return { type: typed(col.type, nullable), ...(input && { minimum: col.min, maximum: col.max }), title };
    }
    case 'boolean':
      return { type: typed('boolean', nullable), title };
  }
}

/**
 * The object schema of a set of columns, refusing unknown keys. `input`: a request part (every field optional,
 * `land.x` nested); `output`: a response part (every field present, `land.x` as `landX`).
 */
export function columnsSchema<C extends Column>(columns: readonly C[], mode: 'input', options?: { description?: string }): TUnsafe<ColumnsInput<C>>;
export function columnsSchema<C extends Column>(columns: readonly C[], mode: 'output', options?: { description?: string }): TUnsafe<ColumnsOutput<C>>;
export function columnsSchema(columns: readonly Column[], mode: 'input' | 'output', options: { description?: string } = {}): TUnsafe<unknown> {
  const properties: Record<string, unknown> = {};
  const groups = new Map<string, Record<string, unknown>>();
  for (const col of columns) {
    const dot = col.key.indexOf('.');
    if (mode === 'output' || dot < 0) {
      properties[mode === 'output' ? flatKey(col.key) : col.key] = columnSchema(col, mode);
      continue;
    }
    const group = col.key.slice(0, dot);
    let inner = groups.get(group);
    if (!inner) {
      groups.set(group, (inner = {}));
      properties[group] = { type: 'object', properties: inner, additionalProperties: false };
    }
    inner[col.key.slice(dot + 1)] = columnSchema(col, mode);
  }
  return Type.Unsafe({
    type: 'object',
    properties,
    ...(mode === 'output' && { required: Object.keys(properties) }),
    additionalProperties: false,
    ...(options.description !== undefined && { description: options.description }),
  });
}

/** The schema of one column's value in a request (a property of a hand-written object schema). */
export function columnProperty<C extends Column, K extends C['key']>(columns: readonly C[], key: K): TUnsafe<ColumnInput<Extract<C, { key: K }>>> {
  const col = columns.find((c) => c.key === key);
  if (!col) throw new Error(`no column ${key}`);
  return Type.Unsafe(columnSchema(col, 'input'));
}

/**
 * A domain record (Household, Member: `land` nested) as the response part of its columns: every column's value,
 * null as the column's `cleared` value (what its NOT NULL column holds), `land.x` as `landX`.
 */
export function columnsOutput<C extends Column>(columns: readonly C[], record: object): ColumnsOutput<C> {
  const out: Record<string, unknown> = {};
  for (const col of columns) {
    const v = getField(record as Record<string, unknown>, col.key);
    out[flatKey(col.key)] = v ?? (Array.isArray(col.cleared) ? [] : col.cleared) ?? null;
  }
  return out as ColumnsOutput<C>;
}

/** The columns without those of the given keys (typed: the keys are left out of the schema's type too). */
export function columnsWithout<C extends Column, K extends C['key']>(columns: readonly C[], keys: readonly K[]): Exclude<C, { key: K }>[] {
  return columns.filter((c): c is Exclude<C, { key: K }> => !(keys as readonly string[]).includes(c.key));
}

/** The columns of the given keys, in the declared order. */
export function columnsOf<C extends Column, K extends C['key']>(columns: readonly C[], keys: readonly K[]): Extract<C, { key: K }>[] {
  return columns.filter((c): c is Extract<C, { key: K }> => (keys as readonly string[]).includes(c.key));
}

// ---------------------------------------------------------------------------------------------
// Warning-rule facts

type FactBase<T extends RuleFieldType> = T extends 'int' | 'double' ? number : T extends 'bool' ? boolean : T extends 'string' ? string : string[];
/** The facts of a field table as JSON: integers are numbers (the server converts bigint columns). */
export type FactsJson<F extends RuleField> = Simplify<{ -readonly [D in F as D['name']]: D['nullable'] extends true ? FactBase<D['type']> | null : FactBase<D['type']> }>;

const FACT_TYPES: Record<RuleFieldType, string> = { bool: 'boolean', int: 'integer', double: 'number', string: 'string', 'list<string>': 'array' };

/** The schema of one rule-fact field (a response value: type, codes and the field's Chinese description). */
export function factFieldSchema(f: RuleField): Record<string, unknown> {
  const codes = f.codes?.map((e) => e.code);
  if (f.type === 'list<string>') return { type: 'array', items: { type: 'string', ...(codes && { enum: codes }) }, title: f.zh, description: f.en };
  const type = f.nullable ? [FACT_TYPES[f.type], 'null'] : FACT_TYPES[f.type];
  return { type, ...(codes && f.type === 'string' && { enum: f.nullable ? [...codes, null] : codes }), title: f.zh, description: f.en };
}

/** The object schema of a rule message's facts (every field present). */
export function factsSchema<F extends RuleField>(fields: readonly F[], options: { description?: string } = {}): TUnsafe<FactsJson<F>> {
  return Type.Unsafe({
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, factFieldSchema(f)])),
    required: fields.map((f) => f.name),
    additionalProperties: false,
    ...(options.description !== undefined && { description: options.description }),
  });
}
