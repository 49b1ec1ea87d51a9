import type { Message } from '@tuopin/domain';
import type { PasswordContext } from '@tuopin/domain/password';

/**
 * The domain's password rule (validatePassword), loaded on first use: with its dictionaries it is a large chunk of
 * its own, so the forms render at once and start loading it when they mount. The rule answers with a catalogue
 * message (code + params), shown with the i18n's serverText in the user's language.
 */
let rule: Promise<(password: string, context: PasswordContext) => Message | null> | null = null;

export function passwordRule(): Promise<(password: string, context: PasswordContext) => Message | null> {
  rule ??= import('@tuopin/domain/password').then((m) => m.passwordProblem);
  return rule;
}
