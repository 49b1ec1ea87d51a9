/**
 * The progress of one background run (useRun): a bar, the run's message rendered by its catalogue code (the
 * server's Chinese text for a code the catalogue does not have), and — when the run failed and may be retried — a
 * retry button.
 */
import { App, Button, Progress, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { RunInfo } from '@tuopin/domain';
import { useI18n } from '../i18n';
import { renderServerMessage } from '../i18n/server';
import { isRunFinished, useRun } from './runs/useRun';

/** A run's message in the current language: by its catalogue code and params, else the server's text. */
export function runMessage(lang: 'zh' | 'en', run: Pick<RunInfo, 'messageCode' | 'messageParams' | 'message'>): string {
  return renderServerMessage(lang, { code: run.messageCode, params: run.messageParams, message: run.message });
}

export interface RunProgressProps {
  runId: number | null | undefined;
  /** What the kind's own record says, shown until the run has been read (or for a record without a run). */
  fallback?: { progress: number; message: string | null };
  /** Called when the run finishes while shown (the page reloads its record). */
  onFinished?: (run: RunInfo) => void;
  /** Called with the run a retry queued (which may be another run: an interrupted commit is validated again first). */
  onRetried?: (run: RunInfo) => void;
  /** Only the retry button (for a page that shows the failure itself). */
  retryOnly?: boolean;
  testId?: string;
  messageTestId?: string;
}

export function RunProgress({ runId, fallback, onFinished, onRetried, retryOnly, testId = 'run-progress', messageTestId }: RunProgressProps) {
  const { lang, t, errorText } = useI18n();
  const { message } = App.useApp();
  const { run, retry, retrying } = useRun(runId, { onFinished, onRetried });
  const retryButton = run?.retryable ? (
    <Button
      type="primary"
      icon={<ReloadOutlined />}
      loading={retrying}
      data-testid={`${testId}-retry`}
      onClick={() => {
        retry().then(
          () => void message.success(t('bg.retried')),
          (e: unknown) => void message.error(errorText(e)),
        );
      }}
    >
      {retrying ? t('bg.retrying') : t('bg.retry')}
    </Button>
  ) : null;
  if (retryOnly) return retryButton;
  const progress = run ? run.progress : (fallback?.progress ?? 0);
  const text = run ? runMessage(lang, run) : (fallback?.message ?? '');
  const status = !run || !isRunFinished(run) ? 'active' : run.status === 'succeeded' ? 'success' : 'exception';
  return (
    <div data-testid={testId} data-run-status={run?.status ?? ''}>
      <Progress percent={Math.round(progress * 100)} status={status} />
      <Space size={8} wrap>
        <Typography.Text type="secondary" data-testid={messageTestId ?? `${testId}-message`}>
          {text}
        </Typography.Text>
        {run && run.attempt > 1 && <Typography.Text type="secondary">{t('bg.attempt', { n: run.attempt })}</Typography.Text>}
        {retryButton}
      </Space>
    </div>
  );
}
