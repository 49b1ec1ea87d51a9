/**
 * Account rules that every bundle may carry. The password strength rule itself (validatePassword, with the
 * zxcvbn-ts dictionaries: megabytes) is imported from '@tuopin/domain/password', so that only the pages that set
 * passwords load it.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const USERNAME_RE = /^[A-Za-z0-9_.-]{3,32}$/;
/** The username rule's text; its catalogue code is 'auth.usernameRule'. */
export const USERNAME_RULE_ZH = '用户名为 3–32 位字母、数字、下划线、点或连字符';
