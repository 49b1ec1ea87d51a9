/** Region messages. */
import { defineMessages } from './define';

export const regionsMessages = defineMessages('regions', {
  'regions.notFound': { status: 404, kind: 'NOT_FOUND', zh: '区域不存在或不在您的管辖范围内', en: 'The region does not exist or is outside your region' },
});
