import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './account';

// Imported as '@tuopin/domain/password' (not re-exported by the package index): the dictionaries are large.
/**
 * The lowest accepted zxcvbn score: 3 = about 10^8–10^10 guesses ("safely unguessable" against online attacks and
 * a slow hash offline). password1, Passw0rd and qwerty123 score 0; woaini1314 and Zhangsan2024 score 1.
 */
export const PASSWORD_MIN_SCORE = 3;

/**
 * Passwords and words that are common in China but not in the English lists: pinyin words and names, number
 * phrases (5201314 = 我爱你一生一世), keyboard and alternating patterns, and the product's own words.
 */
export const CHINESE_COMMON_PASSWORDS = [
  'woaini', 'woaini1314', 'woaini520', 'iloveyou', 'wodemima', 'mima', 'mimamima', 'zhanghao', 'denglu', 'nihao',
  'zhongguo', 'china', 'beijing', 'shanghai', 'zhongguoren', 'xiaoming', 'xiaohong', 'zhangsan', 'lisi', 'wangwu',
  'zhaoliu', 'zhangwei', 'wangfang', 'liwei', 'wangwei', 'liuyang', 'laogong', 'laopo', 'baobao', 'aini', 'qinqin',
  'fupin', 'tuopin', 'tuopin2020', 'fanpin', 'jiance', 'nongcun', 'zhengfu', 'danwei', 'bangong', 'bangongshi',
  'cunweihui', 'zhenzhengfu', 'xianzhengfu', 'guanliyuan', 'admin', 'administrator', 'root', 'test', 'ceshi',
  'liaoning', 'tieling', 'shenyang', 'dalian', 'qinghe', 'yinzhou',
  '5201314', '1314520', '520520', '521521', '1314', '201314', '147258369', '159357', '741852963', '963852741',
  '123456aa', 'aa123456', 'a123456', '123456a', 'abc123', 'abc123456', 'qwe123', 'qwe123456', 'qweasd', 'qweasdzxc',
  'asd123', 'zxc123', '1qaz2wsx', '1q2w3e4r', 'a1b2c3', 'a1b2c3d4', 'aaa111', '112233', '123123', '321321', '666666',
  '888888', '168168', '518518', '000000', '111111', '11111111', '12345678', '123456789', '1234567890', '88888888',
];

let factory: ZxcvbnFactory | null = null;

/** The estimator, built on first use (its dictionaries take a moment to index). */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, 'common-zh': CHINESE_COMMON_PASSWORDS },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

/** Why a weak password is guessable, from the pattern zxcvbn matched for its weakest part. */
function weakness(r: ZxcvbnResult): string {
  const patterns = new Set(r.sequence.map((m) => (m.pattern === 'dictionary' && m.dictionaryName === 'userInputs' ? 'userInputs' : m.pattern)));
  if (patterns.has('userInputs')) return '包含用户名、姓名或系统名称';
  if (patterns.has('dictionary')) return '是常见密码或由常见单词、拼音、姓名组成';
  if (patterns.has('spatial')) return '含键盘上相邻的按键（如 qwerty、1qaz）';
  if (patterns.has('sequence')) return '含连续的字母或数字（如 abc、123456）';
  if (patterns.has('repeat')) return '含重复的字符或片段';
  if (patterns.has('date') || patterns.has('regex')) return '含日期或年份';
  return '太短或太有规律';
}

export interface PasswordContext {
  /** The account's user name; also refused as part of the password. */
  username?: string | null;
  /** The person's name as shown (may be Chinese: only its Latin parts matter to the estimator). */
  displayName?: string | null;
}

/**
 * The one password rule, used by the server (user creation, reset, own change) and by the web forms, which show
 * the same message. Returns a Chinese message saying why the password is refused, or null when it is acceptable:
 * at least 8 characters with letters and digits, not containing the user name, and hard to guess by the zxcvbn
 * estimator (common passwords, English words and names, common Chinese-context passwords and pinyin, keyboard
 * patterns, sequences, repeats, dates, and the user's own name and display name).
 */
export function validatePassword(password: string, context: PasswordContext = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码长度不能少于 ${PASSWORD_MIN_LENGTH} 位`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码长度不能超过 ${PASSWORD_MAX_LENGTH} 位`;
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码必须同时包含字母和数字';
  const username = context.username?.trim();
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  const inputs = ['tuopin', '拓品', username, context.displayName?.trim(), ...(context.displayName?.match(/[A-Za-z0-9]{3,}/g) ?? [])].filter(
    (x): x is string => !!x,
  );
  const r = estimator().check(password, inputs);
  if (r.score < PASSWORD_MIN_SCORE) return `密码太容易被猜到（${weakness(r)}），请使用更长、更没有规律的密码`;
  return null;
}
