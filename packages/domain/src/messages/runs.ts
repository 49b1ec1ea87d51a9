/** Run messages (imports, quality runs, rule runs through the run framework). */
import { defineMessages } from './define';

export const runsMessages = defineMessages('runs', {
  'runs.notFound': { status: 404, kind: 'NOT_FOUND', zh: '后台任务不存在或不在您的管辖范围内', en: 'The background task does not exist or is outside your region' },
  'runs.retryDenied': { status: 403, kind: 'FORBIDDEN', zh: '无权重试该任务', en: 'You may not retry this task' },
  'runs.notRetryable': { status: 409, kind: 'CONFLICT', zh: '该任务不能重试', en: 'This task cannot be retried' },
  'runs.alreadySucceeded': { status: 409, kind: 'CONFLICT', zh: '该任务已经完成', en: 'This task has already finished' },
  'runs.stillActive': { status: 409, kind: 'CONFLICT', zh: '该任务正在等待或运行，请稍后再试', en: 'This task is waiting or running; try again later' },
  'runs.justRetried': { status: 409, kind: 'CONFLICT', zh: '该任务刚刚被重试', en: 'This task has just been retried' },
  'runs.noCreator': { status: 409, kind: 'CONFLICT', zh: '任务的创建人已不存在', en: 'The creator of the task no longer exists' },
  // A run's progress and result (runs.message_code / message_params, rendered by the web's RunProgress); each kind
  // adds its own in its area (import.*, quality.*, rules.*).
  'runs.queued': { zh: '等待运行', en: 'Waiting to run' },
  'runs.interrupted': { zh: '运行被中断（服务器或数据库重启），已全部回滚；可以重试', en: 'The run was interrupted (server or database restarted) and rolled back; it can be retried' },
  'runs.failed': { zh: '运行失败，已全部回滚；可以重试', en: 'The run failed and was rolled back; it can be retried' },
  'runs.succeeded': { zh: '完成', en: 'Finished' },
  'runs.creatorGone': { zh: '任务的创建人已不存在，无法运行', en: 'The creator of the task no longer exists; the task cannot run' },
  'runs.nothingToDo': { zh: '该任务不在等待状态，无需运行', en: 'The task is not waiting; there is nothing to run' },
  'runs.creatorDisabled': { zh: '任务的创建人账号已停用，无法运行；请由在职人员重新发起', en: 'The account of the task\'s creator is disabled; the task cannot run. Please start it again as an active user' },
  'runs.creatorMoved': { zh: '任务的地区已不在创建人的管辖范围内，无法运行；请由该地区的人员重新发起', en: 'The task\'s region is no longer within its creator\'s region; the task cannot run. Please start it again as a user of that region' },
  'runs.timedOut': { zh: '运行超过 {minutes} 分钟仍未结束，已终止并全部回滚；可以重试', en: 'The run did not finish within {minutes} minutes; it was stopped and rolled back. It can be retried' },
});
