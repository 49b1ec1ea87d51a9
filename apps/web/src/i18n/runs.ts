/**
 * Texts of the background runs' progress component (components/RunProgress.tsx). The runs' own messages (queued,
 * interrupted, each kind's progress) are catalogue codes of the domain (packages/domain/src/messages/runs.ts and the
 * kinds' areas), rendered with serverText.
 */
import { defineArea } from './area';

export const runs = defineArea({
  zh: {
    'bg.retry': '重试',
    'bg.retrying': '正在重试…',
    'bg.retried': '已重新开始',
    'bg.status.queued': '等待运行',
    'bg.status.running': '正在运行',
    'bg.status.succeeded': '已完成',
    'bg.status.failed': '失败',
    'bg.status.cancelled': '已取消',
    'bg.attempt': '第 {n} 次运行',
  },
  en: {
    'bg.retry': 'Retry',
    'bg.retrying': 'Retrying…',
    'bg.retried': 'Started again',
    'bg.status.queued': 'Queued',
    'bg.status.running': 'Running',
    'bg.status.succeeded': 'Finished',
    'bg.status.failed': 'Failed',
    'bg.status.cancelled': 'Cancelled',
    'bg.attempt': 'Attempt {n}',
  },
});
