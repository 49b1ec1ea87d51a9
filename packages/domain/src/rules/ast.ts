/**
 * The checked syntax tree of a rule: what check() produces from the CEL parser's tree, with a type on
 * every node and only the constructs that both evaluate() and compileSql() implement. Offsets are
 * UTF-16 indexes into the rule's source.
 */
import type { RuleField, RuleMessageName, RuleVariableName } from './environment';

export type ScalarTypeName = 'bool' | 'int' | 'double' | 'string';

export type RuleType =
  | { readonly kind: 'scalar'; readonly name: ScalarTypeName }
  | { readonly kind: 'null' }
  | { readonly kind: 'message'; readonly name: RuleMessageName }
  /** elem null: the empty list literal */
  | { readonly kind: 'list'; readonly elem: RuleType | null };

export const T_BOOL: RuleType = { kind: 'scalar', name: 'bool' };
export const T_INT: RuleType = { kind: 'scalar', name: 'int' };
export const T_DOUBLE: RuleType = { kind: 'scalar', name: 'double' };
export const T_STRING: RuleType = { kind: 'scalar', name: 'string' };
export const T_NULL: RuleType = { kind: 'null' };

/** CEL spelling of a type: int, double, list(string), Member … */
export function typeName(t: RuleType | null): string {
  if (t === null) return 'dyn';
  switch (t.kind) {
    case 'scalar':
      return t.name;
    case 'null':
      return 'null_type';
    case 'message':
      return t.name;
    case 'list':
      return `list(${typeName(t.elem)})`;
  }
}

export function isScalar(t: RuleType, name?: ScalarTypeName): t is { kind: 'scalar'; name: ScalarTypeName } {
  return t.kind === 'scalar' && (name === undefined || t.name === name);
}

export function isNumeric(t: RuleType): boolean {
  return t.kind === 'scalar' && (t.name === 'int' || t.name === 'double');
}

interface NodeBase {
  readonly type: RuleType;
  readonly start: number;
  readonly end: number;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type MacroName = 'exists' | 'all' | 'exists_one' | 'filter' | 'map';

export type RuleExpr =
  | (NodeBase & { readonly kind: 'literal'; readonly value: bigint | number | string | boolean | null })
  /** a top-level variable (household, members, …) */
  | (NodeBase & { readonly kind: 'variable'; readonly name: RuleVariableName })
  /** a macro's iteration variable; `id` is unique within the rule */
  | (NodeBase & { readonly kind: 'iterVar'; readonly name: string; readonly id: number })
  | (NodeBase & { readonly kind: 'field'; readonly target: RuleExpr; readonly field: RuleField })
  | (NodeBase & { readonly kind: 'not'; readonly arg: RuleExpr })
  | (NodeBase & { readonly kind: 'neg'; readonly arg: RuleExpr })
  | (NodeBase & { readonly kind: 'and' | 'or'; readonly left: RuleExpr; readonly right: RuleExpr })
  | (NodeBase & { readonly kind: 'cond'; readonly test: RuleExpr; readonly then: RuleExpr; readonly otherwise: RuleExpr })
  /** comparison; `mixed` when an int is ordered against a double (the int is converted to double) */
  | (NodeBase & { readonly kind: 'compare'; readonly op: CompareOp; readonly left: RuleExpr; readonly right: RuleExpr; readonly mixed: boolean })
  /** `x == null` (negated: `x != null`) */
  | (NodeBase & { readonly kind: 'isNull'; readonly arg: RuleExpr; readonly negated: boolean })
  | (NodeBase & { readonly kind: 'arith'; readonly op: ArithOp; readonly left: RuleExpr; readonly right: RuleExpr })
  | (NodeBase & { readonly kind: 'concat'; readonly left: RuleExpr; readonly right: RuleExpr })
  /** `elem in list` (same element type) */
  | (NodeBase & { readonly kind: 'in'; readonly elem: RuleExpr; readonly list: RuleExpr })
  | (NodeBase & { readonly kind: 'list'; readonly items: readonly RuleExpr[] })
  | (NodeBase & { readonly kind: 'size'; readonly arg: RuleExpr })
  | (NodeBase & { readonly kind: 'has'; readonly arg: RuleExpr & { kind: 'field' } })
  | (NodeBase & { readonly kind: 'stringTest'; readonly fn: 'startsWith' | 'endsWith' | 'contains'; readonly target: RuleExpr; readonly arg: RuleExpr })
  | (NodeBase & { readonly kind: 'convert'; readonly to: 'int' | 'double'; readonly arg: RuleExpr })
  /**
   * A macro over a list. `predicate` for exists/all/exists_one/filter (and the 3-argument map), `transform`
   * for map.
   */
  | (NodeBase & {
      readonly kind: 'macro';
      readonly macro: MacroName;
      readonly range: RuleExpr;
      readonly varName: string;
      readonly varId: number;
      readonly predicate: RuleExpr | null;
      readonly transform: RuleExpr | null;
    });

export interface CheckedRule {
  readonly source: string;
  readonly ast: RuleExpr;
  /** CEL name of the result type ('bool' for a rule) */
  readonly returnType: string;
}
