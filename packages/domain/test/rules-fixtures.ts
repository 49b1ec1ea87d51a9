/** Hand-built facts for the rule tests: an ordinary, insured, working household unless told otherwise. */
import {
  POLICY_DEFAULTS, type HouseholdFacts, type IncomeFacts, type MemberFacts, type PolicyFacts, type RuleFacts,
} from '../src/index';

export function member(over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    relation: 'head', sex: 'male', age: 40, education: 'junior', schoolStatus: 'not_in_school', dropoutReason: null,
    inCompulsoryAge: false, health: ['healthy'], disabled: false, disabilityCategory: null, disabilityGrade: null,
    labour: 'ordinary', labourCapable: true, workMonths: 10, workPlace: 'county', publicWelfareMonths: 0,
    monthlyWorkIncome: 3000, medicalInsurance: 'resident', insured: true, criticalIllnessInsurance: true,
    pensionInsurance: true, medicalAid: false, dibao: 'none', tekun: 'none',
    ...over,
  };
}

export function child(age: number, over: Partial<MemberFacts> = {}): MemberFacts {
  return member({
    relation: 'son', age, education: 'primary', schoolStatus: 'primary_3', labour: 'none', labourCapable: false,
    workMonths: 0, workPlace: null, monthlyWorkIncome: null, inCompulsoryAge: age >= 6 && age <= 15, ...over,
  });
}

export function income(perCapitaNet: number | null, over: IncomeFacts = {}): IncomeFacts {
  return { perCapitaNet, total: perCapitaNet === null ? null : perCapitaNet * 2, medicalSelfPay: 0, ...over };
}

export interface FactsOverrides {
  household?: Partial<HouseholdFacts>;
  members?: MemberFacts[];
  income?: IncomeFacts | null;
  lastIncome?: IncomeFacts | null;
  policy?: Partial<PolicyFacts>;
}

export function facts(over: FactsOverrides = {}): RuleFacts {
  const members = over.members ?? [member(), member({ relation: 'spouse', sex: 'female', age: 38 })];
  const household: HouseholdFacts = {
    householdNo: '2112041012000001', villageCode: '211204101200', year: 2025, attribute: 'none', status: 'ordinary',
    identifiedYear: null, exitYear: null, monitored: false, monitoredType: null, riskTypes: [], monthsMonitored: null,
    hasDevelopmentMeasure: false, mainCause: null, isMilitaryFamily: false, housingRating: 'A', housingArea: 80,
    relocated: false, relocationKeysReceived: null, safeWater: true, waterProblem: null, electricity: true,
    landCultivated: 5, dibao: 'none', tekun: 'none', wholeNoLabour: false, size: members.length,
    labourCount: members.filter((m) => m.labourCapable === true).length,
    ...over.household,
  };
  return {
    household,
    members,
    income: over.income === undefined ? income(12000) : over.income,
    lastIncome: over.lastIncome === undefined ? income(11000) : over.lastIncome,
    policy: { ...POLICY_DEFAULTS, ...over.policy },
  };
}
