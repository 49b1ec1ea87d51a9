import type { PasswordContext } from '@tuopin/domain/password';

/**
 * The domain's password rule (validatePassword), loaded on first use: with its dictionaries it is a large chunk of
 * its own, so the forms render at once and start loading it when they mount.
 */
let rule: Promise<(password: string, context: PasswordContext) => string | null> | null = null;

export function passwordRule(): Promise<(password: string, context: PasswordContext) => string | null> {
  rule ??= import('@tuopin/domain/password').then((m) => m.validatePassword);
  return rule;
}
