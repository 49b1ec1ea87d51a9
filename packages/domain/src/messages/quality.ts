/** Data-quality check messages. */
import { defineMessages } from './define';

export const qualityMessages = defineMessages('quality', {
  'quality.runNotFound': { status: 404, kind: 'NOT_FOUND', zh: '数据质量检查不存在或不在您的管辖范围内', en: 'The data-quality check does not exist or is outside your region' },
  'quality.concurrentStart': { status: 409, kind: 'CONFLICT', zh: '同一区域和年度的另一次检查刚刚开始或结束，请刷新后再试', en: 'Another check of the same region and year has just started or finished; reload and try again' },
  'quality.busy': { status: 409, kind: 'CONFLICT', zh: '同一区域和年度已有检查在等待或运行，请等待其结束', en: 'A check of the same region and year is waiting or running; wait for it to finish' },
  'quality.notFailed': { status: 409, kind: 'CONFLICT', zh: '该次检查已不存在或不是失败状态', en: 'This check no longer exists or has not failed' },
  'quality.notDone': { status: 409, kind: 'CONFLICT', zh: '该次检查尚未完成，请等待检查结束后再查看结果', en: 'This check has not finished yet; wait for it to finish to see the results' },
  'quality.areaOutside': { status: 400, kind: 'VALIDATION', zh: '所选区域不在本次检查的范围（{region}）内', en: 'The chosen region is outside the scope of this check ({region})' },
});
