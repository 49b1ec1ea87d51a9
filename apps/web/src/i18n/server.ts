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
};

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
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
