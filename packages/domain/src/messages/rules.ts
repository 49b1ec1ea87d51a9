/** Warning-rule messages (rule editing, dry runs, rule runs). */
import { defineMessages } from './define';

export const rulesMessages = defineMessages('rules', {
  'rules.notFound': { status: 404, kind: 'NOT_FOUND', zh: '规则不存在或不在您的管辖范围内', en: 'The rule does not exist or is outside your region' },
  'rules.runNotFound': { status: 404, kind: 'NOT_FOUND', zh: '预警运行记录不存在或不在您的管辖范围内', en: 'The warning run does not exist or is outside your region' },
  'rules.runNotFailed': { status: 409, kind: 'CONFLICT', zh: '该次运行已不存在或不是失败状态', en: 'This run no longer exists or has not failed' },
  'rules.expressionErrors': { status: 400, kind: 'VALIDATION', zh: '规则条件有误：{first}', en: 'The rule condition has an error: {first}' },
  'rules.expressionErrorsMore': { status: 400, kind: 'VALIDATION', zh: '规则条件有误：{first} 等 {n} 处', en: 'The rule condition has {n} errors, the first: {first}' },
  'rules.expressionAt': { status: 400, kind: 'VALIDATION', zh: '第 {line} 行第 {column} 列：{reason}', en: 'Line {line}, column {column}: {reason}' },
  'rules.riskTypeUnknown': { status: 400, kind: 'VALIDATION', zh: '风险类型“{riskType}”不在代码表中', en: 'The risk type “{riskType}” is not in the code table' },
  'rules.riskTypeUnknownField': { status: 400, kind: 'VALIDATION', zh: '风险类型不在代码表中', en: 'The risk type is not in the code table' },
  'rules.regionLevel': { status: 400, kind: 'VALIDATION', zh: '规则只能属于全国、省、市或县，乡镇和村请使用所在县的规则', en: 'A rule belongs to the nation, a province, a city or a county; townships and villages use their county’s rules' },
  'rules.regionOutside': { status: 400, kind: 'VALIDATION', zh: '只能为本辖区新增规则', en: 'You can only add rules for your own region' },
  'rules.idTaken': { status: 409, kind: 'CONFLICT', zh: '规则编号 {id} 已被使用，请换一个编号', en: 'The rule number {id} is taken; choose another one' },
  'rules.nationalOnly': { status: 403, kind: 'FORBIDDEN', zh: '全国规则（含系统内置规则）只能由全国系统管理员修改；可以新增本辖区的规则', en: 'National rules (including the built-in ones) can only be changed by a national system administrator; you can add rules for your region' },
  'rules.upperRegionOnly': { status: 403, kind: 'FORBIDDEN', zh: '这条规则属于上级区域，只能由上级管理员修改', en: 'This rule belongs to a higher region and can only be changed by its administrators' },
  'rules.regionNotApplicable': { status: 400, kind: 'VALIDATION', zh: '所选区域不在这条规则的适用范围内', en: 'The chosen region is outside the scope of this rule' },
  'rules.computeError': { status: 400, kind: 'VALIDATION', zh: '规则在计算时出错：{reason}', en: 'The rule failed while computing: {reason}' },
  'rules.computeOverflow': { status: 400, kind: 'VALIDATION', zh: '规则在计算时出错：{reason}（整数溢出）', en: 'The rule failed while computing: {reason} (integer overflow)' },
  // progress and result of a rule run (the run framework's message)
  'rules.factsReady': { zh: '已准备 {households} 户的事实数据，正在运行 {rules} 条规则', en: 'Facts of {households} households ready, running {rules} rules' },
  'rules.running': { zh: '正在运行规则（{n}/{of}）：{rule}', en: 'Running rule {n}/{of}: {rule}' },
  'rules.grouping': { zh: '正在按户归并线索', en: 'Grouping the hits into clues per household' },
  'rules.done': { zh: '完成：{households} 户，新增线索 {newClues} 条', en: 'Finished: {households} households, {newClues} new clues' },
  'rules.runNotQueued': { zh: '该次运行不在等待状态', en: 'This run is not waiting' },
});
