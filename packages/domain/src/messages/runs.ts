/** Run messages (imports, quality runs, rule runs through the run framework). */
import { defineMessages } from './define';

export const runsMessages = defineMessages('runs', {
  'runs.notFound': { status: 404, kind: 'NOT_FOUND', zh: '运行记录不存在或不在您的管辖范围内', en: 'The run does not exist or is outside your region' },
});
