/** Test fixtures: ID numbers built with an independent check-digit implementation, and a valid household. */
import type { Household, IncomeRecord, Member, YearStatus } from '../../src/index';

export const REF = '2025-06-30';

/**
 * GB 11643 check character, written independently of the code under test: weights are
 * W_i = 2^(i−1) mod 11 for position i counted from the right (the check is position 1), and the
 * check a_1 makes Σ a_i·W_i ≡ 1 (mod 11).
 */
export function testCheckChar(first17: string): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const positionFromRight = 18 - k;
    sum += Number(first17[k]) * (2 ** (positionFromRight - 1) % 11);
  }
  const a1 = (12 - (sum % 11)) % 11;
  return a1 === 10 ? 'X' : String(a1);
}

/** An 18-character ID: region (6) + YYYYMMDD + sequence (3; odd last digit = male) + check. */
export function makeId(region: string, birth: string, seq: string): string {
  const first17 = region + birth + seq;
  return first17 + testCheckChar(first17);
}

/** Replaces the check character by a wrong one. */
export function breakCheck(id: string): string {
  const wrong = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

export const HEAD_ID = makeId('211204', '19800315', '011');
export const SPOUSE_ID = makeId('211204', '19820720', '022');
export const SON_ID = makeId('211204', '20080110', '031');
export const DAUGHTER_ID = makeId('211204', '20150501', '042');

export function household(over: Partial<Household> = {}): Household {
  return {
    householdNo: '2112041012000001',
    villageCode: '211204101200',
    countyCode: '211204',
    address: '清河区张相镇某村1组',
    phone: '13812345678',
    attribute: 'general_poor',
    isMilitaryFamily: false,
    identifiedYear: 2014,
    exitYear: 2019,
    mainCause: 'illness',
    otherCauses: ['lack_funds'],
    land: { cultivated: 8.5, forest: 0, returnedForest: 0, orchard: 1, pasture: 0, waterSurface: 0 },
    housingRating: 'B',
    housingArea: 72,
    relocated: false,
    relocationKeysReceived: null,
    safeWater: true,
    waterProblem: null,
    roadType: 'hardened',
    roadDistanceKm: 0.3,
    electricity: true,
    sanitaryToilet: true,
    fuel: 'coal',
    dibao: 'none',
    tekun: 'none',
    wholeNoLabour: false,
    ...over,
  };
}

export function member(over: Partial<Member> = {}): Member {
  return {
    idType: 'resident_id',
    idNumber: HEAD_ID,
    name: '王建国',
    relation: 'head',
    sex: 'male',
    birthDate: '1980-03-15',
    ethnicity: '11',
    education: 'junior',
    schoolStatus: 'not_in_school',
    dropoutReason: null,
    health: ['healthy'],
    disabilityCategory: null,
    disabilityGrade: null,
    labour: 'ordinary',
    workMonths: 8,
    workPlace: 'county',
    employer: '铁岭某建筑公司',
    publicWelfareMonths: 0,
    monthlyWorkIncome: 3500,
    medicalInsurance: 'resident',
    criticalIllnessInsurance: true,
    commercialMedicalInsurance: false,
    pensionInsurance: true,
    medicalAid: false,
    dibao: 'none',
    tekun: 'none',
    phone: '13812345678',
    ...over,
  };
}

/** A valid family of four: head 45, spouse 42, son 17 in high school, daughter 10 in primary school. */
export function family(): Member[] {
  return [
    member(),
    member({
      idNumber: SPOUSE_ID, name: '李秀兰', relation: 'spouse', sex: 'female', birthDate: '1982-07-20',
      health: ['chronic'], labour: 'weak', workMonths: 0, workPlace: null, employer: null, monthlyWorkIncome: null,
      education: 'primary', phone: null,
    }),
    member({
      idNumber: SON_ID, name: '王磊', relation: 'son', sex: 'male', birthDate: '2008-01-10', education: 'junior',
      schoolStatus: 'senior_2', labour: 'none', workMonths: 0, workPlace: null, employer: null, monthlyWorkIncome: null,
      pensionInsurance: false, phone: null,
    }),
    member({
      idNumber: DAUGHTER_ID, name: '王丽', relation: 'daughter', sex: 'female', birthDate: '2015-05-01', education: null,
      schoolStatus: 'primary_4', labour: 'none', workMonths: 0, workPlace: null, employer: null, monthlyWorkIncome: null,
      pensionInsurance: false, phone: null,
    }),
  ];
}

export function income(over: Partial<IncomeRecord> = {}): IncomeRecord {
  return {
    householdNo: '2112041012000001',
    year: 2024,
    publicWelfareWage: 0,
    otherWage: 28000,
    operatingIncome: 5000,
    assetDividend: 600,
    otherPropertyIncome: 0,
    pension: 0,
    familyPlanning: 0,
    ecoCompensation: 120,
    dibaoPayment: 0,
    tekunPayment: 0,
    otherTransfer: 0,
    operatingExpense: 1500,
    compliantOutOfPocket: 4200,
    ...over,
  };
}

export function yearStatus(over: Partial<YearStatus> = {}): YearStatus {
  return {
    householdNo: '2112041012000001',
    year: 2025,
    status: 'exited',
    exitYear: 2019,
    monitored: true,
    monitoredType: 'unstable_exited',
    riskTypes: ['illness'],
    ...over,
  };
}
