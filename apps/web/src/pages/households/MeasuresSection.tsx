/**
 * 帮扶措施: a household's assistance measures on the household page — in force first, with family, dates and funds;
 * record a new one and end one (writers of the household's region). Whether an industry or employment measure is
 * in force is what the development-measure rule and data-quality check read, so the section says it first.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Select, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { MEASURE_FAMILIES, type Measure } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { keys, useApiQuery } from '../../api/queries';
import { useFormSubmit } from '../../utils/useFormSubmit';
import { useI18n } from '../../i18n';
import { useHhText, type HhKey } from './messages';
import { useIsMobile } from '../../utils/hooks';
import { afterChinaToday, chinaToday, todayInChina } from '../../utils/chinaDate';





const dateText = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function MeasuresSection({ countyCode, id, canWrite }: { countyCode: string; id: number; canWrite: boolean }) {
  const t = useHhText();
  const { lang, errorText } = useI18n();
  const { message } = App.useApp();
  const list = useApiQuery(api.measureList, { params: { countyCode, id } });
  const data = list.data;
  const error = list.error && !data ? errorText(list.error) : null;
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<Measure | null>(null);

  const familyLabel = (code: string) => MEASURE_FAMILIES.find((f) => f.code === code)?.[lang] ?? code;
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return null;
  return (
    <div data-testid="measures-section">
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        {data.hasDevelopmentMeasure
          ? <Tag color="green" data-testid="measures-dev">{t('measure.hasDev')}</Tag>
          : <Tag color="orange" data-testid="measures-dev">{t('measure.noDev')}</Tag>}
        {canWrite && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="measure-add">{t('measure.add')}</Button>}
      </Space>
      {data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('measure.none')} />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          data-testid="measure-list"
          renderItem={(m) => (
            <List.Item
              data-testid="measure-item"
              actions={canWrite && (m.endedOn === null || m.endedOn > todayInChina()) ? [
                <Button key="end" size="small" onClick={() => setEnding(m)} data-testid="measure-end">{t('measure.end')}</Button>,
              ] : []}
            >
              <List.Item.Meta
                title={(
                  <Space wrap size={4}>
                    <span>{m.title}</span>
                    <Tag color={m.development ? 'blue' : undefined}>{familyLabel(m.family)}</Tag>
                    {m.inForce ? <Tag color="green">{t('measure.inForce')}</Tag> : <Tag>{m.endedOn ? t('measure.ended') : t('measure.notStarted')}</Tag>}
                  </Space>
                )}
                description={(
                  <Space wrap size={4} split={<span>·</span>}>
                    <span>{m.endedOn ? t('measure.periodEnded', { from: m.startedOn, to: m.endedOn }) : t('measure.period', { from: m.startedOn })}</span>
                    {m.amount !== null && <span>{t('measure.yuan', { n: m.amount.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 }) })}</span>}
                    {m.createdBy && <span>{t('measure.by', { name: m.createdBy })}</span>}
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
            onSaved={() => { setAdding(false); message.success(t('measure.saved')); }} />
          <EndMeasureModal measure={ending} onClose={() => setEnding(null)}
            onSaved={() => { setEnding(null); message.success(t('measure.endedMsg')); }} />
        </>
      )}
    </div>
  );
}

function AddMeasureModal({ open, countyCode, id, onClose, onSaved }: { open: boolean; countyCode: string; id: number; onClose: () => void; onSaved: () => void }) {
  const t = useHhText();
  const { lang } = useI18n();
  const isMobile = useIsMobile();
  const initial = useMemo(() => ({ startedOn: chinaToday() }), []);
  type V = { family: string; title: string; startedOn: Dayjs; endedOn?: Dayjs | null; amount?: number | null; note?: string };
  const f = useFormSubmit<V, true>({
    open, initial, fieldErrors: 'state', invalidates: [keys.measures],
    save: async (v) => {
      await call(api.measureCreate, {
        params: { countyCode, id },
        body: { family: v.family, title: v.title, startedOn: dateText(v.startedOn) ?? '', endedOn: dateText(v.endedOn), amount: v.amount ?? null, note: v.note?.trim() || null },
      });
      return { saved: true };
    },
    onSaved: () => onSaved(),
  });
  const { form, error } = f;
  const server = f.server.byField;
  const status = (k: string) => (server[k] ? { validateStatus: 'error' as const, help: server[k].join(' ') } : {});
  const req = (field: HhKey) => [{ required: true, whitespace: true, message: t('form.required', { field: t(field) }) }];
  return (
    <Modal open={open} title={t('measure.addTitle')} onCancel={onClose} onOk={f.submit} okText={t('form.save')} cancelText={t('form.cancel')}
      confirmLoading={f.saving} width={isMobile ? '100%' : 560} destroyOnHidden okButtonProps={{ 'data-testid': 'measure-save' }} data-testid="measure-modal">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="measure-error" />}
      <Form form={form} layout="vertical" onValuesChange={f.clearServer}>
        <Form.Item name="family" label={t('measure.family')} rules={[{ required: true, message: t('form.required', { field: t('measure.family') }) }]} {...status('family')}>
          <Select
            options={MEASURE_FAMILIES.map((f) => ({ value: f.code, label: f.development ? `${f[lang]}（${t('measure.development')}）` : f[lang] }))}
            data-testid="measure-family"
          />
        </Form.Item>
        <Form.Item name="title" label={t('measure.itemTitle')} rules={[...req('measure.itemTitle'), { max: 200 }]} {...status('title')}>
          <Input maxLength={200} placeholder={t('measure.titlePlaceholder')} data-testid="measure-title" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="startedOn" label={t('measure.startedOn')} rules={[{ required: true, message: t('form.required', { field: t('measure.startedOn') }) }]} {...status('startedOn')}>
            <DatePicker format="YYYY-MM-DD" disabledDate={afterChinaToday} data-testid="measure-started" />
          </Form.Item>
          <Form.Item name="endedOn" label={t('measure.endedOn')} {...status('endedOn')}>
            <DatePicker format="YYYY-MM-DD" data-testid="measure-ended" />
          </Form.Item>
          <Form.Item name="amount" label={t('measure.amount')} {...status('amount')}>
            <InputNumber min={0} precision={2} style={{ width: 160 }} data-testid="measure-amount" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('measure.note')} rules={[{ max: 1000 }]} {...status('note')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="measure-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EndMeasureModal({ measure, onClose, onSaved }: { measure: Measure | null; onClose: () => void; onSaved: () => void }) {
  const t = useHhText();
  const initial = useMemo(() => ({ endedOn: chinaToday() }), []);
  const f = useFormSubmit<{ endedOn: Dayjs; reason?: string }, true>({
    open: !!measure, initial, fieldErrors: 'state', invalidates: [keys.measures],
    save: async (v) => {
      if (!measure) return null;
      await call(api.measureEnd, {
        params: { countyCode: measure.countyCode, id: measure.householdId, measureId: measure.id },
        body: { endedOn: dateText(v.endedOn) ?? '', ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) },
      });
      return { saved: true };
    },
    onSaved: () => onSaved(),
  });
  const { form, error } = f;
  if (!measure) return null;
  return (
    <Modal open title={t('measure.endTitle', { title: measure.title })} onCancel={onClose} onOk={f.submit} okText={t('form.save')} cancelText={t('form.cancel')}
      confirmLoading={f.saving} destroyOnHidden okButtonProps={{ 'data-testid': 'measure-end-save' }} data-testid="measure-end-modal">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="measure-end-error" />}
      <Form form={form} layout="vertical">
        <Form.Item name="endedOn" label={t('measure.endedOn')} rules={[{ required: true, message: t('form.required', { field: t('measure.endedOn') }) }]}>
          <DatePicker format="YYYY-MM-DD" disabledDate={(d) => afterChinaToday(d) || d.isBefore(dayjs(measure.startedOn), 'day')} data-testid="measure-end-date" />
        </Form.Item>
        <Form.Item name="reason" label={t('measure.endReason')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('measure.endReasonPlaceholder')} data-testid="measure-end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
