/** Exit assessment messages. */
import { defineMessages } from './define';

export const exitMessages = defineMessages('exit', {
  'exit.householdNotFound': { status: 404, kind: 'NOT_FOUND', zh: '农户不存在或不在您的管辖范围内', en: 'The household does not exist or is outside your region' },
});
