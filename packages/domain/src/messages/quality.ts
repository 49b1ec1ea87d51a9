/** Data-quality check messages. */
import { defineMessages } from './define';

export const qualityMessages = defineMessages('quality', {
  'quality.runNotFound': { status: 404, kind: 'NOT_FOUND', zh: '数据质量检查不存在或不在您的管辖范围内', en: 'The data-quality check does not exist or is outside your region' },
  'quality.concurrentStart': { status: 409, kind: 'CONFLICT', zh: '同一区域和年度的另一次检查刚刚开始或结束，请刷新后再试', en: 'Another check of the same region and year has just started or finished; reload and try again' },
  'quality.busy': { status: 409, kind: 'CONFLICT', zh: '同一区域和年度已有检查在等待或运行，请等待其结束', en: 'A check of the same region and year is waiting or running; wait for it to finish' },
  'quality.notFailed': { status: 409, kind: 'CONFLICT', zh: '该次检查已不存在或不是失败状态', en: 'This check no longer exists or has not failed' },
  'quality.notDone': { status: 409, kind: 'CONFLICT', zh: '该次检查尚未完成，请等待检查结束后再查看结果', en: 'This check has not finished yet; wait for it to finish to see the results' },
  'quality.areaOutside': { status: 400, kind: 'VALIDATION', zh: '所选区域不在本次检查的范围（{region}）内', en: 'The chosen region is outside the scope of this check ({region})' },

  // ---- findings (quality_findings.code / params; registry/quality.ts, services/quality.evaluate.ts) ----
  // a member's finding: who (the name, else quality.memberNo) before the problem (nested)
  'quality.finding.member': { zh: '{who}：{problem}', en: '{who}: {problem}' },
  'quality.memberNo': { zh: '第{n}位成员', en: 'Member {n}' },
  // a validation finding of the year's income or status: the year before the problem (nested)
  'quality.finding.income': { zh: '{year}年收入：{problem}', en: 'Income {year}: {problem}' },
  'quality.finding.status': { zh: '{year}年状态：{problem}', en: 'Status {year}: {problem}' },
  // the checks' own problems, by check (QUALITY_CHECKS); code-table values as { zh, en } params
  'quality.finding.ageLabourMismatch': { zh: '{age}岁、身体健康、非在校生，劳动技能却为“{labour}”，请核实', en: 'Aged {age}, healthy and not in school, but labour capacity is “{labour}”; please check' },
  'quality.finding.minorWithLabour': { zh: '{age}岁未满{min}周岁，劳动技能不应为“{labour}”', en: 'Aged {age}, under {min}: labour capacity should not be “{labour}”' },
  'quality.finding.lackLabourRiskWithLabour': { zh: '风险类型为“缺劳动力”，但{members}人中有{full}人为普通或技能劳动力，请核实', en: 'Risk “lack of labour”, but {full} of {members} members are ordinary or skilled labour; please check' },
  'quality.finding.illnessRiskWithoutSick': { zh: '风险类型为“因病”，但没有成员的健康状况为{chronic}或{serious}，请核实', en: 'Risk “illness”, but no member’s health is {chronic} or {serious}; please check' },
  'quality.finding.employmentRiskWithoutWorker': { zh: '风险类型为“因务工就业不稳”，但没有成员有务工时间、务工地点或务工收入，请核实', en: 'Risk “unstable employment”, but no member has months, a place or income of work; please check' },
  'quality.finding.compulsorySchoolDropout': { zh: '{age}岁处于义务教育阶段但未在校，且未填写未上学原因', en: 'Aged {age}, of compulsory-school age but not in school, and no reason given' },
  'quality.finding.workIncomeHigh': { zh: '月务工收入{income}元高于{max}元，请核实', en: 'A monthly work income of {income} yuan is above {max} yuan; please check' },
  'quality.finding.workIncomeLow': { zh: '月务工收入{income}元低于{min}元，请核实', en: 'A monthly work income of {income} yuan is below {min} yuan; please check' },
  'quality.finding.publicWelfarePostAge': { zh: '{age}岁在公益性岗位就业（应年满{min}周岁且未满{limit}周岁），请核实', en: 'Aged {age} and holding a public-welfare post (the age should be at least {min} and under {limit}); please check' },
  'quality.finding.monitoredWithoutDevelopmentMeasure': { zh: '{since}纳入监测已满{months}个月，家中有劳动能力但未落实产业或就业等开发式帮扶措施', en: 'Monitored since {since}, over {months} months, with labour capacity but no development measure (industry or employment)' },
  'quality.finding.duplicateIdInHousehold': { zh: '证件号码与{other}重复', en: 'The ID number repeats that of {other}' },
  'quality.finding.medicalInsuranceNone': { zh: '未参加基本医疗保险', en: 'No basic medical insurance' },
  'quality.finding.medicalInsuranceMissing': { zh: '未填写基本医疗保险（城乡居民或职工，应参加且只参加一种）', en: 'Basic medical insurance not recorded (resident or employee; exactly one)' },
  'quality.finding.noHead': { zh: '户内没有户主', en: 'The household has no head' },
  'quality.finding.manyHeads': { zh: '户内有{heads}个户主，只能有一个', en: 'The household has {heads} heads; it may have one only' },
  'quality.finding.birthDateMismatch': { zh: '出生日期{birthDate}与证件号码中的{idBirthDate}不符', en: 'The date of birth {birthDate} differs from {idBirthDate} in the ID number' },
  'quality.finding.sexMismatch': { zh: '性别“{sex}”与证件号码（{idSex}）不符', en: 'The sex “{sex}” differs from the ID number ({idSex})' },
  'quality.finding.wageWithoutHolder': { zh: '有公益性岗位收入，但没有成员填写公益性岗位时间', en: 'Public-welfare post wages, but no member has months in a public-welfare post' },
  'quality.finding.holderWithoutWage': { zh: '{holders}名成员在公益性岗位就业，但公益性岗位收入为0', en: '{holders} members hold a public-welfare post, but the public-welfare post wages are 0' },
  // the run's state (quality_runs.message_code) and its progress (runs.message_code)
  'quality.state.interrupted': { zh: '检查被中断（服务器或数据库重启），本次没有保存结果；请点击“重试”', en: 'The check was interrupted (server or database restarted); nothing was saved. Click “Retry”' },
  'quality.state.failed': { zh: '检查时发生内部错误，本次没有保存结果，请重试或联系管理员', en: 'An internal error occurred during the check; nothing was saved. Retry, or contact the administrator' },
  'quality.state.counting': { zh: '正在统计农户数量', en: 'Counting the households' },
  'quality.state.done': { zh: '检查完成：{households} 户，{withErrors} 户有错误，{withWarnings} 户有警告', en: 'Check finished: {households} households, {withErrors} with errors, {withWarnings} with warnings' },
  'quality.progress': { zh: '已检查 {done} / {total} 户', en: 'Checked {done} / {total} households' },
  'quality.runNotQueued': { zh: '该次检查不在等待状态', en: 'This check is not waiting' },
});
