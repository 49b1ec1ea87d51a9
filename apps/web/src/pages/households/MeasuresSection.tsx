/**
 * 帮扶措施: a household's assistance measures on the household page — in force first, with family, dates and funds;
 * record a new one and end one (writers of the household's region). Whether an industry or employment measure is
 * in force is what the development-measure rule and data-quality check read, so the section says it first.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Select, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { MEASURE_FAMILIES, type Measure } from '@tuopin/domain';
import { api, call, isApiError } from '../../api/client';
import { useI18n, type Vars } from '../../i18n';
import { useIsMobile } from '../../utils/hooks';

const zh = {
  title: '帮扶措施',
  add: '登记措施',
  addTitle: '登记帮扶措施',
  hasDev: '已落实产业或就业帮扶措施',
  noDev: '未落实产业或就业帮扶措施',
  none: '还没有登记帮扶措施',
  family: '措施类别',
  itemTitle: '措施内容',
  titlePlaceholder: '例如：入股村肉牛养殖合作社；县城物流园务工',
  startedOn: '开始日期',
  endedOn: '结束日期',
  amount: '投入资金（元）',
  note: '备注',
  inForce: '实施中',
  ended: '已结束',
  notStarted: '未开始',
  development: '开发式帮扶',
  period: '{from} 起',
  periodEnded: '{from} 至 {to}',
  yuan: '{n} 元',
  by: '{name} 登记',
  end: '结束',
  endTitle: '结束措施 · {title}',
  endReason: '原因',
  endReasonPlaceholder: '例如：项目到期；已稳定就业',
  saved: '已登记帮扶措施',
  endedMsg: '措施已结束',
  save: '保存',
  cancel: '取消',
  required: '请填写{field}',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  title: 'Assistance measures',
  add: 'Record a measure',
  addTitle: 'Record an assistance measure',
  hasDev: 'Has an industry or employment measure',
  noDev: 'No industry or employment measure',
  none: 'No assistance measure recorded yet',
  family: 'Family',
  itemTitle: 'Measure',
  titlePlaceholder: 'e.g. shares in the village cattle co-operative; work at the county logistics park',
  startedOn: 'Start date',
  endedOn: 'End date',
  amount: 'Funds (yuan)',
  note: 'Note',
  inForce: 'In force',
  ended: 'Ended',
  notStarted: 'Not started',
  development: 'Development',
  period: 'from {from}',
  periodEnded: '{from} to {to}',
  yuan: '{n} yuan',
  by: 'recorded by {name}',
  end: 'End',
  endTitle: 'End measure · {title}',
  endReason: 'Reason',
  endReasonPlaceholder: 'e.g. project finished; stable job found',
  saved: 'Measure recorded',
  endedMsg: 'Measure ended',
  save: 'Save',
  cancel: 'Cancel',
  required: 'Enter the {field}',
};

function useText() {
  const { lang } = useI18n();
  return useCallback((k: Key, vars?: Vars) => {
    let s = (lang === 'zh' ? zh : en)[k];
    if (vars) for (const [n, v] of Object.entries(vars)) s = s.split(`{${n}}`).join(String(v));
    return s;
  }, [lang]);
}

const dateText = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** Field errors of a refusal, by field name (the server names them family, title, startedOn, endedOn …). */
function fieldErrors(e: unknown, localize: (s: string) => string): Record<string, string> {
  if (!isApiError(e)) return {};
  return Object.fromEntries(e.details.map((d) => [d.field.replace(/^\/?body[./]/, ''), localize(d.message)]));
}

export function MeasuresSection({ countyCode, id, canWrite }: { countyCode: string; id: number; canWrite: boolean }) {
  const t = useText();
  const { lang, errorText } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<{ items: Measure[]; hasDevelopmentMeasure: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<Measure | null>(null);
  const load = useCallback(() => {
    call(api.measureList, { params: { countyCode, id } }).then((d) => { setData(d); setError(null); }).catch((e) => setError(errorText(e)));
  }, [countyCode, id, errorText]);
  useEffect(load, [load]);

  const familyLabel = (code: string) => MEASURE_FAMILIES.find((f) => f.code === code)?.[lang] ?? code;
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return null;
  return (
    <div data-testid="measures-section">
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        {data.hasDevelopmentMeasure
          ? <Tag color="green" data-testid="measures-dev">{t('hasDev')}</Tag>
          : <Tag color="orange" data-testid="measures-dev">{t('noDev')}</Tag>}
        {canWrite && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="measure-add">{t('add')}</Button>}
      </Space>
      {data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('none')} />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          data-testid="measure-list"
          renderItem={(m) => (
            <List.Item
              data-testid="measure-item"
              actions={canWrite && (m.endedOn === null || m.endedOn > dayjs().format('YYYY-MM-DD')) ? [
                <Button key="end" size="small" onClick={() => setEnding(m)} data-testid="measure-end">{t('end')}</Button>,
              ] : []}
            >
              <List.Item.Meta
                title={(
                  <Space wrap size={4}>
                    <span>{m.title}</span>
                    <Tag color={m.development ? 'blue' : undefined}>{familyLabel(m.family)}</Tag>
                    {m.inForce ? <Tag color="green">{t('inForce')}</Tag> : <Tag>{m.endedOn ? t('ended') : t('notStarted')}</Tag>}
                  </Space>
                )}
                description={(
                  <Space wrap size={4} split={<span>·</span>}>
                    <span>{m.endedOn ? t('periodEnded', { from: m.startedOn, to: m.endedOn }) : t('period', { from: m.startedOn })}</span>
                    {m.amount !== null && <span>{t('yuan', { n: m.amount.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 }) })}</span>}
                    {m.createdBy && <span>{t('by', { name: m.createdBy })}</span>}
                    {m.note && <span>{m.note}</span>}
                  </Space>
                )}
              />
            </List.Item>
          )}
        />
      )}
      {canWrite && (
        <>
          <AddMeasureModal open={adding} countyCode={countyCode} id={id} onClose={() => setAdding(false)}
            onSaved={() => { setAdding(false); message.success(t('saved')); load(); }} />
          <EndMeasureModal measure={ending} onClose={() => setEnding(null)}
            onSaved={() => { setEnding(null); message.success(t('endedMsg')); load(); }} />
        </>
      )}
    </div>
  );
}

function AddMeasureModal({ open, countyCode, id, onClose, onSaved }: { open: boolean; countyCode: string; id: number; onClose: () => void; onSaved: () => void }) {
  const t = useText();
  const { lang, errorText, serverText } = useI18n();
  const isMobile = useIsMobile();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [server, setServer] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ startedOn: dayjs() });
    setError(null);
    setServer({});
  }, [open, form]);
  const save = async () => {
    let v: { family: string; title: string; startedOn: Dayjs; endedOn?: Dayjs | null; amount?: number | null; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await call(api.measureCreate, {
        params: { countyCode, id },
        body: { family: v.family, title: v.title, startedOn: dateText(v.startedOn) ?? '', endedOn: dateText(v.endedOn), amount: v.amount ?? null, note: v.note?.trim() || null },
      });
      onSaved();
    } catch (e) {
      setServer(fieldErrors(e, serverText));
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const status = (k: string) => (server[k] ? { validateStatus: 'error' as const, help: server[k] } : {});
  const req = (field: Key) => [{ required: true, whitespace: true, message: t('required', { field: t(field) }) }];
  return (
    <Modal open={open} title={t('addTitle')} onCancel={onClose} onOk={() => void save()} okText={t('save')} cancelText={t('cancel')}
      confirmLoading={saving} width={isMobile ? '100%' : 560} destroyOnHidden okButtonProps={{ 'data-testid': 'measure-save' }} data-testid="measure-modal">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="measure-error" />}
      <Form form={form} layout="vertical" onValuesChange={() => setServer({})}>
        <Form.Item name="family" label={t('family')} rules={[{ required: true, message: t('required', { field: t('family') }) }]} {...status('family')}>
          <Select
            options={MEASURE_FAMILIES.map((f) => ({ value: f.code, label: f.development ? `${f[lang]}（${t('development')}）` : f[lang] }))}
            data-testid="measure-family"
          />
        </Form.Item>
        <Form.Item name="title" label={t('itemTitle')} rules={[...req('itemTitle'), { max: 200 }]} {...status('title')}>
          <Input maxLength={200} placeholder={t('titlePlaceholder')} data-testid="measure-title" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="startedOn" label={t('startedOn')} rules={[{ required: true, message: t('required', { field: t('startedOn') }) }]} {...status('startedOn')}>
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="measure-started" />
          </Form.Item>
          <Form.Item name="endedOn" label={t('endedOn')} {...status('endedOn')}>
            <DatePicker format="YYYY-MM-DD" data-testid="measure-ended" />
          </Form.Item>
          <Form.Item name="amount" label={t('amount')} {...status('amount')}>
            <InputNumber min={0} precision={2} style={{ width: 160 }} data-testid="measure-amount" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('note')} rules={[{ max: 1000 }]} {...status('note')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="measure-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EndMeasureModal({ measure, onClose, onSaved }: { measure: Measure | null; onClose: () => void; onSaved: () => void }) {
  const t = useText();
  const { errorText } = useI18n();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!measure) return;
    form.resetFields();
    form.setFieldsValue({ endedOn: dayjs() });
    setError(null);
  }, [measure, form]);
  if (!measure) return null;
  const save = async () => {
    let v: { endedOn: Dayjs; reason?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await call(api.measureEnd, {
        params: { countyCode: measure.countyCode, id: measure.householdId, measureId: measure.id },
        body: { endedOn: dateText(v.endedOn) ?? '', ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) },
      });
      onSaved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t('endTitle', { title: measure.title })} onCancel={onClose} onOk={() => void save()} okText={t('save')} cancelText={t('cancel')}
      confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'measure-end-save' }} data-testid="measure-end-modal">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="measure-end-error" />}
      <Form form={form} layout="vertical">
        <Form.Item name="endedOn" label={t('endedOn')} rules={[{ required: true, message: t('required', { field: t('endedOn') }) }]}>
          <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs(measure.startedOn), 'day')} data-testid="measure-end-date" />
        </Form.Item>
        <Form.Item name="reason" label={t('endReason')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('endReasonPlaceholder')} data-testid="measure-end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
