/**
 * English renderings of the Chinese messages that come from the domain package and the
 * server (password rules, username rule, common errors). Unknown messages are returned as they are.
 */
import { USERNAME_RULE_ZH } from '@tuopin/domain';

const EXACT: Record<string, string> = {
  [USERNAME_RULE_ZH]: 'Username: 3–32 letters, digits, underscores, dots or hyphens',
  '密码必须同时包含字母和数字': 'The password must contain both letters and digits',
  '密码不能包含用户名': 'The password must not contain the username',
  '用户名或密码错误': 'Wrong username or password',
  '用户名已存在': 'This username is already taken',
  '当前密码错误': 'The current password is wrong',
  '当前密码不正确': 'The current password is wrong',
  '新密码不能与当前密码相同': 'The new password must differ from the current one',
  '账号已停用': 'This account is disabled',
  '账号已被停用': 'This account is disabled',
  '账号已停用，请联系管理员': 'This account is disabled; contact your administrator',
  '未登录或登录已过期，请重新登录': 'You are not logged in or your session has expired; please log in again',
  '登录已失效，请重新登录': 'Your session has ended; please log in again',
  '请求缺少有效的 CSRF 令牌，请刷新页面后重试': 'The page has expired; reload it and try again',
  '您没有执行此操作的权限': 'You are not allowed to do this',
  '请先修改初始密码': 'Please change your initial password first',
  '姓名不能为空': 'The name must not be empty',
  '停用账号必须填写原因': 'Give the reason for disabling the account',
  '区域不存在或不在您的管辖范围内': 'The region does not exist or is outside your region',
  '不能修改自己的角色、所属区域或状态': 'You cannot change your own role, region or status',
  '无权管理该角色': 'You may not manage this role',
  '请求过于频繁，请稍后再试': 'Too many requests; please wait a moment and try again',
  // assistance measures (packages/domain/src/assistance/measures.ts, the assistance service)
  '请选择帮扶措施类别': 'Choose the family of the measure',
  '请填写措施内容': 'Describe the measure',
  '措施内容不能超过 200 个字': 'The measure must be described in at most 200 characters',
  '开始日期不正确': 'The start date is not a valid date',
  '开始日期不能晚于今天': 'The start date cannot be after today',
  '请填写结束日期': 'Enter the end date',
  '结束日期不正确': 'The end date is not a valid date',
  '结束日期不能早于开始日期': 'The end date cannot be before the start date',
  '结束日期不能晚于今天': 'The end date cannot be after today',
  '投入资金应为不小于 0 的金额': 'The funds must be an amount of at least 0',
  '投入资金不能超过 1 亿元': 'The funds cannot exceed 100 million yuan',
  '投入资金最多保留两位小数': 'The funds can have at most two decimals',
  '备注不能超过 1000 个字': 'The note must have at most 1,000 characters',
};

/** Reasons of the domain's weak-password message (validatePassword). */
const WEAK_REASONS: Record<string, string> = {
  '包含用户名、姓名或系统名称': 'it contains the username, the name or the product name',
  '是常见密码或由常见单词、拼音、姓名组成': 'it is a common password or made of common words, pinyin or names',
  '含键盘上相邻的按键（如 qwerty、1qaz）': 'it has adjacent keys such as qwerty or 1qaz',
  '含连续的字母或数字（如 abc、123456）': 'it has a sequence such as abc or 123456',
  '含重复的字符或片段': 'it repeats characters or parts',
  '含日期或年份': 'it contains a date or a year',
  '太短或太有规律': 'it is too short or too regular',
};

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^密码太容易被猜到（(.+?)），/,
    (m) => `The password is too easy to guess (${WEAK_REASONS[m[1] ?? ''] ?? m[1]}); use a longer, less regular one`,
  ],
  [/^当前密码不正确，再失败\s*(\d+)\s*次账号将被锁定$/, (m) => `The current password is wrong; ${m[1]} more failures will lock the account`],
  [/^登录尝试过于频繁，请\s*(\d+)\s*秒后再试$/, (m) => `Too many login attempts; try again in ${m[1]} seconds`],
  [/^用户名或密码错误，再失败\s*(\d+)\s*次账号将被锁定$/, (m) => `Wrong username or password; ${m[1]} more failures will lock the account`],
  [/^用户名\s*(\S+)\s*已存在$/, (m) => `The username ${m[1]} is already taken`],
  [/^该措施已于\s*(\S+)\s*结束$/, (m) => `This measure ended on ${m[1]}`],
  [/^(.*)不存在或不在您的管辖范围内$/, () => 'Not found, or outside your region'],
  [/^您不能管理角色为「.*」的用户$/, () => 'You may not manage users of this role'],
  [/^「.*」的所属区域应为.*级，「.*」是.*级$/, () => 'The region is not of a level allowed for this role'],
  [/^(.*)（字段：[^）]*）$/, (m) => localizeServerText(m[1] ?? '')],
  [/^密码长度不能少于\s*(\d+)\s*位$/, (m) => `The password must have at least ${m[1]} characters`],
  [/^密码长度不能超过\s*(\d+)\s*位$/, (m) => `The password must have at most ${m[1]} characters`],
  [/锁定.*?(\d+)\s*分钟/, (m) => `The account is locked; try again in ${m[1]} minutes`],
  [/(\d+)\s*分钟.*锁定/, (m) => `The account is locked; try again in ${m[1]} minutes`],
  [/频繁/, () => 'Too many requests; please wait a moment and try again'],
];

export function localizeServerText(message: string): string {
  const exact = EXACT[message];
  if (exact) return exact;
  for (const [re, f] of PATTERNS) {
    const m = re.exec(message);
    if (m) return f(m);
  }
  return message;
}
