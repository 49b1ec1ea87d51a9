/**
 * npm run bench:rules -- --persons 1000000 [--province 21] [--seed 1]
 *
 * Generates a registry straight into the database, then times the warning run through the product's own job
 * (RulesService: fact tables built from the registry, every active built-in rule compiled from CEL to SQL and
 * evaluated in one pass per county, platform clues inserted with their facts, rule version and settings),
 * and in the same run a hand-written single SQL pass over the registry tables computing the same ten
 * predicates (counts only). Prints both, the ratio, and checks that both found the same households per rule.
 * The last line is machine-readable.
 */
import { BUILT_IN_RULES, netIncomeSql, POLICY_DEFAULTS as P } from '@tuopin/domain';
import { generateIntoDatabase } from '../apps/server/src/generate/index';
import { developmentMeasureInForceSql } from '../apps/server/src/repositories/assistance.repository';
import { currentYearInChina, todayInChina } from '../apps/server/src/clock';
import { arg, benchLog, withBenchDatabase } from './lib/bench';

const persons = Number(arg('persons', '100000'));
const province = arg('province', '21');
const seed = Number(arg('seed', '1'));
const log = benchLog('rules');
const year = currentYearInChina();
const today = todayInChina();

/** The ten built-in rules written by hand over the registry tables, with the default settings as constants. */
const BASELINE = `
with m as (
  select county_code, household_id, count(*) as n,
         bool_or(not coalesce(medical_insurance in ('resident', 'employee'), false)) as uninsured,
         bool_or(age between ${P.compulsoryAgeMin} and ${P.compulsoryAgeMax} and school_status = 'not_in_school'
                 and (dropout_reason is null or dropout_reason not in ('illness', 'disability'))) as child_out,
         bool_and(coalesce(labour in ('lost', 'none'), false)) as no_labour,
         count(*) filter (where labour in ('ordinary', 'skilled', 'weak')) as labour_count
    from (select mm.*, extract(year from age('${today}'::date, mm.birth_date)) as age from members mm where mm.active) mm
   group by county_code, household_id
), f as (
  select coalesce(s.status, 'ordinary') as status, coalesce(s.monitored, false) as monitored, h.housing_rating,
         coalesce(h.relocated, false) as relocated, h.relocation_keys_received as keys, coalesce(h.dibao, 'none') as dibao,
         coalesce(h.tekun, 'none') as tekun, coalesce(h.whole_no_labour, false) as whole_no_labour, m.uninsured, m.child_out, m.no_labour, coalesce(m.labour_count, 0) as labour_count,
         case when i.household_id is not null then round(${netIncomeSql('i')} / nullif(coalesce(m.n, 0), 0), 2) end as pc,
         case when li.household_id is not null then round(${netIncomeSql('li')} / nullif(coalesce(m.n, 0), 0), 2) end as lpc,
         case when i.household_id is not null then coalesce(i.compliant_out_of_pocket, 0) end as self_pay,
         case when coalesce(s.monitored, false) and mr.identified_on is not null
              then extract(year from age('${today}'::date, mr.identified_on)) * 12 + extract(month from age('${today}'::date, mr.identified_on)) end as months_monitored,
         exists (select 1 from assistance_measures am where am.county_code = h.county_code and am.household_id = h.id
                   and ${developmentMeasureInForceSql('am', today)}) as has_development_measure
    from households h
    left join monitoring_records mr on mr.county_code = h.county_code and mr.household_id = h.id and mr.eliminated_on is null
    left join household_year_status s on s.county_code = h.county_code and s.household_id = h.id and s.year = ${year}
    left join income_records i on i.county_code = h.county_code and i.household_id = h.id and i.year = ${year}
    left join income_records li on li.county_code = h.county_code and li.household_id = h.id and li.year = ${year - 1}
    left join m on m.county_code = h.county_code and m.household_id = h.id
)
select count(*) filter (where not monitored and pc < ${P.monitoringLine}) as income_below_monitoring_line,
       count(*) filter (where not monitored and lpc > 0 and pc < lpc * (1 - ${P.incomeDropShare})) as income_sharp_drop,
       count(*) filter (where status = 'exited' and not monitored and pc < ${P.exitUnstableLine}) as exited_below_unstable_line,
       count(*) filter (where dibao = 'none' and tekun = 'none' and pc < ${P.dibaoLine}) as expected_income_below_dibao_line,
       count(*) filter (where uninsured) as member_uninsured,
       count(*) filter (where child_out) as child_out_of_school,
       count(*) filter (where housing_rating in ('C', 'D') and not (relocated and keys is not null and keys)) as unsafe_housing,
       count(*) filter (where self_pay > ${P.ruralDisposableIncome} * case when status in ('poor', 'exited', 'returned')
                          then ${P.medicalSelfPayShareFormerPoor} else ${P.medicalSelfPayShareOthers} end) as medical_self_pay_high,
       count(*) filter (where no_labour and not whole_no_labour and dibao = 'none' and tekun = 'none') as whole_household_no_labour,
       count(*) filter (where monitored and months_monitored >= ${P.developmentMeasureMonths} and labour_count > 0
                          and not has_development_measure) as no_development_measure
  from f`;

await withBenchDatabase('rules', async ({ db, services }) => {
  let t = performance.now();
  const g = await generateIntoDatabase(db, { region: province, persons, seed, year });
  log(`generated ${g.persons} persons, ${g.households} households in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const c = await db.pool.connect();
  await c.query('vacuum analyze');
  c.release();

  // Baseline: the hand-written pass (run twice, the second timed, so both sides read warm caches).
  const client = await db.pool.connect();
  await client.query(BASELINE);
  t = performance.now();
  const base = (await client.query(BASELINE)).rows[0] as Record<string, string>;
  const baselineS = (performance.now() - t) / 1000;
  client.release();
  log(`hand-written single SQL pass: ${baselineS.toFixed(2)} s`);

  // The product: the warning run job over the province, as the administrator.
  const admin = { id: 1, username: 'admin', role: 'system_admin' as const, regionCode: '000000000000', ip: null };
  const provinceCode = province.padEnd(12, '0');
  const runJob = async () => {
    const t0 = performance.now();
    let r = await services.rules.start(admin, { regionCode: provinceCode, year });
    while (r.status === 'queued' || r.status === 'running') {
      await new Promise((res) => setTimeout(res, 50));
      r = await services.rules.getRun(admin, r.id);
    }
    if (r.status !== 'done') throw new Error(`run ${r.status}: ${r.message}`);
    return { run: r, s: (performance.now() - t0) / 1000 };
  };
  const { run, s: runS } = await runJob();
  log(`warning run through the job: ${runS.toFixed(2)} s (${run.households} households, ${run.results.length} rules) — ${run.message}`);

  let same = true;
  for (const r of BUILT_IN_RULES) {
    const product = run.results.find((x) => x.ruleId === r.id)?.matches ?? -1;
    const hand = Number(base[r.id]);
    if (product !== hand) same = false;
    log(`  ${r.id.padEnd(36)} product ${String(product).padStart(8)}  hand-written ${String(hand).padStart(8)}${product === hand ? '' : '  MISMATCH'}`);
  }
  if (!same) log('WARNING: the product and the hand-written pass disagree');
  // A second run of the same period finds the same households and creates no clue (deduplicated per household, rule, period).
  const again = await runJob();
  // (deduplicated per household, rule and period; one clue per household listing its rules)
  log(`clues: ${run.newClues} created for ${run.results.reduce((n, r) => n + r.newHits, 0)} hits`);
  const repeated = again.run.results.reduce((n, r) => n + r.newHits, 0) + (again.run.newClues ?? 0) + (again.run.extendedClues ?? 0);
  log(`second run of the same period: ${again.s.toFixed(2)} s, ${repeated} new hits or clues${repeated === 0 ? '' : '  DUPLICATES'}`);
  const ratio = runS / baselineS;
  log(`ratio ${ratio.toFixed(2)} (target ≤ 3), run ${(g.persons / runS).toFixed(0)} persons/s`);
  console.log(`persons=${g.persons} rules=${run.results.length} run_s=${runS.toFixed(2)} baseline_s=${baselineS.toFixed(2)} ratio=${ratio.toFixed(2)}`);
});
