import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './account';
import { msg, renderMessage, type Message } from './messages/index';

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
function weakness(r: ZxcvbnResult): Message {
  const patterns = new Set(r.sequence.map((m) => (m.pattern === 'dictionary' && m.dictionaryName === 'userInputs' ? 'userInputs' : m.pattern)));
  if (patterns.has('userInputs')) return msg('auth.password.reason.userInputs');
  if (patterns.has('dictionary')) return msg('auth.password.reason.dictionary');
  if (patterns.has('spatial')) return msg('auth.password.reason.spatial');
  if (patterns.has('sequence')) return msg('auth.password.reason.sequence');
  if (patterns.has('repeat')) return msg('auth.password.reason.repeat');
  if (patterns.has('date') || patterns.has('regex')) return msg('auth.password.reason.date');
  return msg('auth.password.reason.regular');
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
  const p = passwordProblem(password, context);
  return p ? renderMessage(p, 'zh')! : null;
}

/** The same rule as validatePassword, as a catalogue message (code and params), or null when acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): Message | null {
  if (password.length < PASSWORD_MIN_LENGTH) return msg('auth.password.tooShort', { min: PASSWORD_MIN_LENGTH });
  if (password.length > PASSWORD_MAX_LENGTH) return msg('auth.password.tooLong', { max: PASSWORD_MAX_LENGTH });
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return msg('auth.password.lettersAndDigits');
  const username = context.username?.trim();
  if (username && password.toLowerCase().includes(username.toLowerCase())) return msg('auth.password.containsUsername');
  const inputs = ['tuopin', '拓品', username, context.displayName?.trim(), ...(context.displayName?.match(/[A-Za-z0-9]{3,}/g) ?? [])].filter(
    (x): x is string => !!x,
  );
  const r = estimator().check(password, inputs);
  if (r.score < PASSWORD_MIN_SCORE) return msg('auth.password.weak', { reason: weakness(r) });
  return null;
}
