/**
 * The progress of one background run (useRun): a bar, the run's message translated by its code (the Chinese text
 * of the server otherwise), and — when the run failed and may be retried — a retry button.
 */
import { App, Button, Progress, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { RunInfo } from '@tuopin/domain';
import { useI18n } from '../i18n';
import { runs, type RunsKey } from '../i18n/runs';
import { isRunFinished, useRun } from './runs/useRun';

/** A run's message in the current language: by its code when the dictionary has it, else the server's text. */
export function runMessage(lang: 'zh' | 'en', run: Pick<RunInfo, 'messageCode' | 'messageParams' | 'message'>): string {
  const code = run.messageCode as RunsKey | null;
  const template = code && code in runs.zh ? runs[lang][code] : null;
  if (!template) return run.message ?? '';
  return Object.entries(run.messageParams ?? {}).reduce((s, [k, v]) => s.split(`{${k}}`).join(String(v ?? '')), template);
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
  const { lang, errorText } = useI18n();
  const { message } = App.useApp();
  const { run, retry, retrying } = useRun(runId, { onFinished, onRetried });
  const d = runs[lang];
  const retryButton = run?.retryable ? (
    <Button
      type="primary"
      icon={<ReloadOutlined />}
      loading={retrying}
      data-testid={`${testId}-retry`}
      onClick={() => {
        retry().then(
          () => void message.success(d['bg.retried']),
          (e: unknown) => void message.error(errorText(e)),
        );
      }}
    >
      {retrying ? d['bg.retrying'] : d['bg.retry']}
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
        {run && run.attempt > 1 && <Typography.Text type="secondary">{d['bg.attempt'].replace('{n}', String(run.attempt))}</Typography.Text>}
        {retryButton}
      </Space>
    </div>
  );
}
