import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Popconfirm, Progress, Result, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { DownloadOutlined, FileExcelOutlined, FileTextOutlined, InboxOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { SHEET_LABELS, SHEETS, type ImportInfo, type ImportProblem, type SheetName } from '@tuopin/domain';
import { api, buildUrl, upload } from '../../api/client';
import { invalidate, queryKeyOf, useApiMutation, useApiQuery, useRefetchOn } from '../../api/queries';
import { useI18n, type MsgKey } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RunProgress } from '../../components/RunProgress';
import { useIsMobile } from '../../utils/hooks';
import './imports.css';

type Status = ImportInfo['status'];
type Detail = { import: ImportInfo; problems: ImportProblem[] };

/** An import's state message with its code (imports before the codes: the Chinese text only). */
const stateMessage = (info: ImportInfo) => ({ code: info.messageCode, params: info.messageParams, message: info.message });

const SHEET_NAMES: readonly SheetName[] = ['households', 'members', 'income'];
const RUNNING: readonly Status[] = ['queued', 'validating', 'committing'];
const MAX_FILES = 3;
const POLL_MS = 500;
const PROBLEMS_SHOWN = 500;

const STATUS_COLORS: Record<Status, string> = {
  queued: 'default',
  validating: 'processing',
  validated: 'blue',
  invalid: 'error',
  committing: 'processing',
  committed: 'success',
  failed: 'error',
};

function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="import-status-tag" data-status={status}>
      {t(`imports.status.${status}` as MsgKey)}
    </Tag>
  );
}

/** The counts of the Popconfirm and of the success Result. */
function countVars(info: ImportInfo) {
  const c = info.counts;
  return {
    newH: c.households?.new ?? 0,
    chH: c.households?.changed ?? 0,
    newM: c.members?.new ?? 0,
    chM: c.members?.changed ?? 0,
    newI: c.income?.new ?? 0,
    chI: c.income?.changed ?? 0,
  };
}

export default function ImportPage() {
  const { t, lang, errorText, serverText } = useI18n();
  // a problem's sheet: the sheet's title in the current language (a file's name as it is)
  const sheetText = (v: string) => Object.values(SHEET_LABELS).find((l) => l.zh === v)?.[lang] ?? v;
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const idParam = Number(sp.get('id'));
  const id = Number.isInteger(idParam) && idParam > 0 ? idParam : null;

  const [step, setStep] = useState(id ? 2 : 0);
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);

  // Keep the step in line with the URL (a recent import reopened, the browser's back button).
  const [lastId, setLastId] = useState(id);
  if (lastId !== id) {
    setLastId(id);
    if (id) setStep(2);
  }

  // The import, read again while it is queued, validating or committing (RunProgress shows its run's progress).
  const client = useQueryClient();
  const detailInput = id ? { params: { id } } : null;
  const detailQuery = useApiQuery(api.importGet, detailInput, {
    refetchInterval: (q) => (q.state.data && RUNNING.includes(q.state.data.import.status) ? POLL_MS : false),
  });
  const detail: Detail | null = detailQuery.data ?? null;
  const loadError = detailQuery.error ? errorText(detailQuery.error) : null;
  const reloadDetail = () => invalidate(client, api.importGet, api.importList);
  const showImport = (info: ImportInfo, problems?: ImportProblem[]) => {
    if (detailInput) client.setQueryData<Detail>(queryKeyOf(api.importGet, detailInput), (d) => (d ? { import: info, problems: problems ?? d.problems } : d));
  };

  // The recent imports, read again whenever the import shown changes its state.
  const recentQuery = useApiQuery(api.importList);
  const recent = recentQuery.isError ? [] : (recentQuery.data ?? null);
  useRefetchOn(recentQuery.refetch, detail?.import.status);

  const openImport = useCallback(
    (next: number | null) => {
      setSp(next ? { id: String(next) } : {});
    },
    [setSp],
  );

  const start = async () => {
    setUploading(true);
    try {
      const info = await upload(files);
      setFiles([]);
      openImport(info.id);
      setStep(2);
      void invalidate(client, api.importList);
    } catch (e) {
      void message.error(t('imports.uploadFailed', { error: errorText(e) }));
    } finally {
      setUploading(false);
    }
  };

  const commitMutation = useApiMutation(api.importCommit, { onSuccess: (info) => showImport(info), onSettled: () => reloadDetail() });
  const revalidateMutation = useApiMutation(api.importRevalidate, { onSuccess: (info) => showImport(info, []), onSettled: () => reloadDetail() });
  const committing = commitMutation.isPending || revalidateMutation.isPending;

  // a refused commit may have changed the import (staging lost: failed, validate again): it is read again either way
  const commit = () => (id ? commitMutation.mutateAsync({ params: { id } }).catch((e: unknown) => void message.error(errorText(e))) : undefined);

  const reupload = () => {
    openImport(null);
    setStep(1);
  };

  /** Validates the same files again (after a failed commit, or when what was staged was lost). */
  const revalidate = () => (id ? revalidateMutation.mutateAsync({ params: { id } }).catch((e: unknown) => void message.error(errorText(e))) : undefined);

  // ---------------------------------------------------------------------------------------
  // Step 1: templates

  const templates = (
    <div data-testid="import-templates">
      <Typography.Paragraph type="secondary" className="tp-imp-hint">
        {t('imports.templateHint')}
      </Typography.Paragraph>
      <div className="tp-imp-buttons">
        <Button type="primary" icon={<FileExcelOutlined />} href={api.importTemplate.url} download data-testid="import-template-xlsx">
          {t('imports.templateXlsx')}
        </Button>
        {SHEET_NAMES.map((s) => (
          <Button
            key={s}
            icon={<FileTextOutlined />}
            href={buildUrl(api.importTemplateCsv.url, { sheet: s })}
            download
            data-testid={`import-template-csv-${s}`}
          >
            {t('imports.templateCsv', { sheet: SHEETS[s].title })}
          </Button>
        ))}
      </div>
      <div className="tp-imp-footer">
        <Button type="primary" onClick={() => setStep(1)} data-testid="import-next">
          {t('imports.next')}
        </Button>
      </div>
    </div>
  );

  // ---------------------------------------------------------------------------------------
  // Step 2: upload

  const fileList: UploadFile[] = files.map((f, i) => ({ uid: `${i}-${f.name}`, name: f.name, status: 'done', size: f.size }));
  const uploader = (
    <div data-testid="import-upload">
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple
        fileList={fileList}
        beforeUpload={(file) => {
          setFiles((prev) => {
            if (prev.length >= MAX_FILES) {
              void message.warning(t('imports.tooMany'));
              return prev;
            }
            return [...prev.filter((p) => p.name !== file.name), file];
          });
          return false;
        }}
        onRemove={(f) => {
          setFiles((prev) => prev.filter((p, i) => `${i}-${p.name}` !== f.uid));
          return true;
        }}
        data-testid="import-dragger"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('imports.dragText')}</p>
        <p className="ant-upload-hint">{t('imports.dragHint')}</p>
      </Upload.Dragger>
      <div className="tp-imp-footer">
        <Button onClick={() => setStep(0)}>{t('imports.back')}</Button>
        <Button
          type="primary"
          icon={<UploadOutlined />}
          disabled={files.length === 0}
          loading={uploading}
          onClick={() => void start()}
          data-testid="import-start"
        >
          {t('imports.start')}
        </Button>
      </div>
    </div>
  );

  // ---------------------------------------------------------------------------------------
  // Step 3: result

  const countRows = SHEET_NAMES.map((s) => ({
    key: s,
    sheet: s,
    rows: detail?.import.counts.rows?.[s],
    ...(detail?.import.counts[s] ?? { new: undefined, changed: undefined, unchanged: undefined }),
  }));
  const num = (v: number | undefined) => (v === undefined ? '—' : v);
  const countColumns: TableColumnsType<(typeof countRows)[number]> = [
    { title: t('imports.col.sheet'), dataIndex: 'sheet', render: (s: SheetName) => t(`imports.sheet.${s}` as MsgKey) },
    { title: t('imports.col.rows'), dataIndex: 'rows', align: 'right', render: num },
    {
      title: t('imports.col.new'),
      dataIndex: 'new',
      align: 'right',
      render: (v: number | undefined, r) => <span data-testid={`import-count-${r.sheet}-new`}>{num(v)}</span>,
    },
    {
      title: t('imports.col.changed'),
      dataIndex: 'changed',
      align: 'right',
      render: (v: number | undefined, r) => <span data-testid={`import-count-${r.sheet}-changed`}>{num(v)}</span>,
    },
    {
      title: t('imports.col.unchanged'),
      dataIndex: 'unchanged',
      align: 'right',
      render: (v: number | undefined, r) => <span data-testid={`import-count-${r.sheet}-unchanged`}>{num(v)}</span>,
    },
  ];

  const problemColumns: TableColumnsType<ImportProblem & { key: number }> = [
    { title: t('imports.prob.sheet'), dataIndex: 'sheet', width: 90, render: (v: string) => <span data-testid="problem-sheet">{sheetText(v)}</span> },
    { title: t('imports.prob.row'), dataIndex: 'row', width: 60, align: 'right', render: (v: number | null) => <span data-testid="problem-row">{v ?? '—'}</span> },
    { title: t('imports.prob.column'), dataIndex: 'column', width: 120, render: (v: string | null) => <span data-testid="problem-column">{v ?? '—'}</span> },
    {
      title: t('imports.prob.severity'),
      dataIndex: 'severity',
      width: 70,
      render: (v: ImportProblem['severity']) => (
        <Tag color={v === 'error' ? 'error' : 'warning'} data-testid="problem-severity">
          {t(`imports.severity.${v}` as MsgKey)}
        </Tag>
      ),
    },
    // by its code in the current language (problems stored before the codes: their Chinese text)
    { title: t('imports.prob.message'), dataIndex: 'message', render: (_: string, p) => <span data-testid="problem-message">{serverText(p)}</span> },
  ];

  const renderResult = () => {
    if (loadError && !detail) return <Alert type="error" showIcon title={loadError} data-testid="import-load-error" />;
    if (!detail) return <Progress percent={0} status="active" />;
    const info = detail.import;
    const running = RUNNING.includes(info.status);
    const vars = countVars(info);
    const problems = detail.problems.map((p, i) => ({ ...p, key: i }));

    if (info.status === 'committed') {
      return (
        <Result
          status="success"
          title={t('imports.committedTitle')}
          subTitle={t('imports.committedSub', vars)}
          data-testid="import-committed"
          extra={[
            <Link key="go" to="/households" data-testid="import-to-households">
              <Button type="primary">{t('imports.toHouseholds')}</Button>
            </Link>,
            <Button key="again" onClick={reupload} data-testid="import-again">
              {t('imports.newImport')}
            </Button>,
          ]}
        />
      );
    }

    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-result" data-status={info.status}>
        <div className="tp-imp-files">
          <StatusTag status={info.status} />
          <Typography.Text type="secondary">{info.fileNames.join('、')}</Typography.Text>
        </div>
        {running && (
          <RunProgress
            runId={info.runId}
            fallback={{ progress: info.progress, message: info.message ? serverText(stateMessage(info)) : '' }}
            onFinished={() => void reloadDetail()}
            testId="import-progress"
            messageTestId="import-message"
          />
        )}
        {info.status === 'invalid' && (
          <Alert
            type="error"
            showIcon
            title={t('imports.invalid', { n: info.errorCount })}
            description={info.message && info.errorCount === 0 ? serverText(stateMessage(info)) : undefined}
            data-testid="import-invalid"
            action={
              <Button danger icon={<ReloadOutlined />} onClick={reupload} data-testid="import-reupload">
                {t('imports.reupload')}
              </Button>
            }
          />
        )}
        {info.status === 'failed' && (
          <Alert
            type="error"
            showIcon
            title={t('imports.failed')}
            description={info.message ? serverText(stateMessage(info)) : undefined}
            data-testid="import-failed"
            action={
              <Space orientation="vertical" size={8}>
                {/* the failed run's retry (an interrupted commit: validated again, then committed) */}
                <RunProgress runId={info.runId} retryOnly onRetried={() => void reloadDetail()} testId="import-run" />
                <Button type="primary" icon={<ReloadOutlined />} onClick={() => void revalidate()} loading={committing} data-testid="import-revalidate">
                  {t('imports.revalidate')}
                </Button>
                <Button icon={<ReloadOutlined />} onClick={reupload}>
                  {t('imports.reupload')}
                </Button>
              </Space>
            }
          />
        )}
        {!running && (
          <>
            <div className="tp-imp-summary">
              <Table
                size="small"
                pagination={false}
                columns={countColumns}
                dataSource={countRows}
                title={() => <Typography.Text strong>{t('imports.counts')}</Typography.Text>}
                scroll={{ x: 'max-content' }}
                data-testid="import-counts"
              />
              <div className="tp-imp-tallies">
                <Tag color={info.errorCount ? 'error' : 'default'} data-testid="import-error-count">
                  {t('imports.errors')} {info.errorCount}
                </Tag>
                <Tag color={info.warningCount ? 'warning' : 'default'} data-testid="import-warning-count">
                  {t('imports.warnings')} {info.warningCount}
                </Tag>
              </div>
            </div>
            {info.status === 'validated' && (
              <div className="tp-imp-footer">
                <Button onClick={reupload}>{t('imports.reupload')}</Button>
                <Popconfirm
                  title={t('imports.commit')}
                  description={<div className="tp-imp-confirm">{t('imports.commitConfirm', vars)}</div>}
                  onConfirm={() => void commit()}
                  okButtonProps={{ 'data-testid': 'import-commit-ok' } as Record<`data-${string}`, string>}
                >
                  <Button type="primary" loading={committing} data-testid="import-commit">
                    {t('imports.commit')}
                  </Button>
                </Popconfirm>
              </div>
            )}
            <Card
              size="small"
              title={t('imports.problems')}
              extra={
                info.errorCount + info.warningCount > 0 && (
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={buildUrl(api.importProblems.url, { id: info.id })}
                    download
                    data-testid="import-problems-download"
                  >
                    {t('imports.downloadProblems')}
                  </Button>
                )
              }
            >
              {problems.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.noProblems')} />
              ) : (
                <>
                  {info.errorCount + info.warningCount > PROBLEMS_SHOWN && (
                    <Typography.Paragraph type="secondary">{t('imports.problemsShown', { n: PROBLEMS_SHOWN })}</Typography.Paragraph>
                  )}
                  {isMobile ? (
                    <div className="tp-imp-problem-list" data-testid="import-problems">
                      {problems.map((p) => (
                        <div key={p.key} className="tp-imp-problem" data-testid="problem-row-item">
                          <div className="tp-imp-problem-where">
                            <Tag color={p.severity === 'error' ? 'error' : 'warning'} data-testid="problem-severity">
                              {t(`imports.severity.${p.severity}` as MsgKey)}
                            </Tag>
                            <span data-testid="problem-sheet">{sheetText(p.sheet)}</span>
                            {p.row !== null && (
                              <span>
                                {t('imports.prob.row')} <span data-testid="problem-row">{p.row}</span>
                              </span>
                            )}
                            {p.column && <span data-testid="problem-column">{p.column}</span>}
                          </div>
                          <div data-testid="problem-message">{serverText(p)}</div>
                        </div>
                      ))}
                    </div>
                  ) : (
                    <Table
                      size="small"
                      columns={problemColumns}
                      dataSource={problems}
                      pagination={problems.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                      scroll={{ x: 560 }}
                      onRow={() => ({ 'data-testid': 'problem-row-item' }) as React.HTMLAttributes<HTMLElement>}
                      data-testid="import-problems"
                    />
                  )}
                </>
              )}
            </Card>
          </>
        )}
      </Space>
    );
  };

  // ---------------------------------------------------------------------------------------
  // Recent imports

  const recentColumns: TableColumnsType<ImportInfo> = [
    {
      title: t('imports.col.time'),
      dataIndex: 'createdAt',
      width: 150,
      render: (v: string) => <span className="tp-mono tp-imp-nowrap">{dayjs(v).format('YYYY-MM-DD HH:mm')}</span>,
    },
    { title: t('imports.col.files'), dataIndex: 'fileNames', render: (v: string[]) => v.join('、') },
    { title: t('imports.col.user'), dataIndex: 'createdBy', width: 110 },
    { title: t('imports.col.status'), dataIndex: 'status', width: 90, render: (v: Status) => <StatusTag status={v} /> },
    {
      title: t('imports.col.counts'),
      key: 'counts',
      width: 130,
      render: (_: unknown, r) => (r.counts.households ? `${r.counts.households.new} / ${r.counts.households.changed}` : '—'),
    },
  ];

  const current = step === 2 && !id ? 1 : step;
  const status = detail?.import.status;
  return (
    <div data-testid="imports-page" className="tp-imp">
      <PageHeader title={t('menu.imports')} subtitle={t('imports.subtitle')} />
      <Card variant="borderless">
        <Steps
          current={current}
          size="small"
          orientation={isMobile ? 'vertical' : 'horizontal'}
          onChange={(s) => {
            if (s < 2 || id) setStep(s);
          }}
          status={current === 2 && (status === 'invalid' || status === 'failed') ? 'error' : undefined}
          items={[
            { title: t('imports.step.template') },
            { title: t('imports.step.upload') },
            { title: t('imports.step.result'), disabled: !id },
          ]}
          data-testid="import-steps"
        />
        <div className="tp-imp-body">{current === 0 ? templates : current === 1 ? uploader : renderResult()}</div>
      </Card>
      <Card variant="borderless" title={t('imports.recent')} style={{ marginTop: 16 }} styles={{ body: { padding: isMobile ? 8 : 16 } }}>
        <Table
          size="small"
          rowKey="id"
          columns={recentColumns}
          dataSource={recent ?? []}
          loading={recent === null}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.recentEmpty')} /> }}
          rowClassName={(r) => (r.id === id ? 'tp-imp-row tp-imp-row-current' : 'tp-imp-row')}
          onRow={(r) =>
            ({
              onClick: () => {
                openImport(r.id);
                setStep(2);
              },
              'data-testid': 'import-recent-row',
              'data-id': r.id,
            }) as React.HTMLAttributes<HTMLElement>
          }
          data-testid="import-recent"
        />
      </Card>
    </div>
  );
}
