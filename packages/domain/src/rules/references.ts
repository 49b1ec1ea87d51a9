/**
 * The facts a rule reads: the fact-table columns its expression references. A clue stores exactly these as the
 * snapshot of "the facts that triggered it" (with the rule version and the settings), which keeps the snapshot
 * small and says what mattered.
 */
import type { CheckedRule, RuleExpr } from './ast';
import { MEMBER_FIELDS, ruleVariable, type RuleField } from './environment';

export interface RuleReferences {
  /** Household fact columns (with the variable's prefix, e.g. income_per_capita_net), keyed by CEL path */
  household: { path: string; column: string }[];
  /** Member fact columns, keyed by field name */
  member: { path: string; column: string }[];
  /** Whether the rule looks at the member list at all */
  members: boolean;
}

const MEMBER_FIELD_SET = new Set<RuleField>(MEMBER_FIELDS);

export function ruleReferences(rule: CheckedRule): RuleReferences {
  const household = new Map<string, string>();
  const member = new Map<string, string>();
  let members = false;
  const visit = (e: RuleExpr | null): void => {
    if (!e) return;
    switch (e.kind) {
      case 'variable':
        if (e.name === 'members') members = true;
        return;
      case 'field': {
        if (e.target.kind === 'variable') {
          const v = ruleVariable(e.target.name);
          if (v && v.table === 'household') household.set(`${v.name}.${e.field.name}`, v.columnPrefix + e.field.column);
        } else if (MEMBER_FIELD_SET.has(e.field)) {
          member.set(e.field.name, e.field.column);
        }
        visit(e.target);
        return;
      }
      case 'not': case 'neg': case 'size': case 'convert': case 'isNull':
        visit(e.arg);
        return;
      case 'has':
        visit(e.arg);
        return;
      case 'and': case 'or': case 'compare': case 'arith': case 'concat':
        visit(e.left);
        visit(e.right);
        return;
      case 'cond':
        visit(e.test);
        visit(e.then);
        visit(e.otherwise);
        return;
      case 'in':
        visit(e.elem);
        visit(e.list);
        return;
      case 'list':
        e.items.forEach(visit);
        return;
      case 'stringTest':
        visit(e.target);
        visit(e.arg);
        return;
      case 'macro':
        visit(e.range);
        visit(e.predicate);
        visit(e.transform);
        return;
      case 'literal': case 'iterVar':
        return;
    }
  };
  visit(rule.ast);
  return {
    household: [...household].map(([path, column]) => ({ path, column })),
    member: [...member].map(([path, column]) => ({ path, column })),
    members,
  };
}
