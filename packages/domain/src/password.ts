export const PASSWORD_MIN_LENGTH = 8;

/** Returns a Chinese message describing why the password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码长度不能少于 ${PASSWORD_MIN_LENGTH} 位`;
  if (password.length > 128) return '密码长度不能超过 128 位';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码必须同时包含字母和数字';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

export const USERNAME_RE = /^[A-Za-z0-9_.-]{3,32}$/;
export const USERNAME_RULE_ZH = '用户名为 3–32 位字母、数字、下划线、点或连字符';
