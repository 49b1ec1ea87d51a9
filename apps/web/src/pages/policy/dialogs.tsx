/** The policy page's dialogs: change a value (with its basis), inherit again, and a setting's history. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Drawer, Empty, Form, Input, InputNumber, Modal, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { EffectivePolicySetting, EndpointResponse, PolicyDefinition, PolicyValueRecord } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { keys, useApiQuery } from '../../api/queries';
import { useI18n, type Lang } from '../../i18n';
import { useIsMobile } from '../../utils/hooks';
import { useFormSubmit } from '../../utils/useFormSubmit';
import { fmtNumber, fmtValue, inputSpec, parseTyped, valueProblem, valuesOf } from './format';

type Effective = EndpointResponse<typeof api.policyEffective>;
const NOTE_MAX = 500;

interface DialogProps {
  open: boolean;
  def: PolicyDefinition;
  setting: EffectivePolicySetting;
  data: Effective;
  onClose: () => void;
}

const regionLabel = (data: Effective) => data.region.fullName || data.region.name;

/** Sets the value at the shown region and year: the domain's check as you type, the basis required. */
export function EditModal({ open, def, setting, data, lang, onClose, onSaved }: DialogProps & { lang: Lang; onSaved: () => void }) {
  const { t } = useI18n();
  const spec = useMemo(() => inputSpec(def, t), [def, t]);
  const [input, setInput] = useState<number | null>(null);
  /** What is being typed, before the box accepts it (out-of-range text never reaches onChange). */
  const [typed, setTyped] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [noteTouched, setNoteTouched] = useState(false);

  const shown = typed !== null ? parseTyped(typed) : input;
  const stored = shown === null || Number.isNaN(shown) ? shown : spec.fromInput(shown);
  const problem = valueProblem(def, stored, valuesOf(data.settings), lang, t);
  const noteMissing = note.trim() === '';
  const unchanged = !!setting.setHere && stored === setting.setHere.value && note.trim() === (setting.setHere.note ?? '');

  // Saving through the one form hook: the checks above, the change as a mutation (the policy refetched), the notice.
  const f = useFormSubmit<{ value: number; note: string }, true>({
    fieldErrors: 'state',
    invalidates: [keys.policy],
    validate: () => {
      setNoteTouched(true);
      if (problem || noteMissing || unchanged || stored === null || Number.isNaN(stored)) return null;
      return { value: stored, note: note.trim() };
    },
    save: async (v) => {
      await call(api.policySet, { body: { regionCode: data.region.code, year: data.year, key: def.key, value: v.value, note: v.note } });
      return { saved: true, notice: t('policy.saved') };
    },
    onSaved: () => onSaved(),
  });
  const { error, setError } = f;

  useEffect(() => {
    if (!open) return;
    setInput(setting.value === null ? null : spec.toInput(setting.value));
    setTyped(null);
    setNote(setting.setHere?.note ?? '');
    setNoteTouched(false);
    setError(null);
  }, [open, setting, spec, setError]);

  const name = lang === 'zh' ? def.zh : def.en;
  return (
    <Modal
      open={open}
      title={t('policy.editTitle', { name })}
      onCancel={onClose}
      onOk={f.submit}
      okText={t('policy.save')}
      cancelText={t('policy.cancel')}
      okButtonProps={{ disabled: !!problem || unchanged, 'data-testid': 'policy-save' }}
      confirmLoading={f.saving}
      destroyOnHidden
    >
      <div data-testid="policy-edit-modal">
        <Typography.Paragraph type="secondary" data-testid="policy-edit-where">
          {t('policy.editWhere', { region: regionLabel(data), year: data.year })}
        </Typography.Paragraph>
        <div className="tp-p-current">
          <span className="tp-p-current-label">{t('policy.current')}</span>
          <span className="tp-p-current-value">{fmtValue(def, setting.value, lang, t)}</span>
          <Typography.Text type="secondary" className="tp-p-current-basis">
            {def.basis}
          </Typography.Text>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="policy-edit-error" />}
        <Form layout="vertical" component="div">
          <Form.Item
            label={t('policy.newValue')}
            validateStatus={problem ? 'error' : undefined}
            help={
              problem ? (
                <span data-testid="policy-value-error">{problem}</span>
              ) : (
                <span data-testid="policy-value-help">
                  {t('policy.range', { min: fmtValue(def, def.min, lang, t), max: fmtValue(def, def.max, lang, t) })}
                  {def.unit === 'share' && stored !== null && !Number.isNaN(stored) ? ` · ${t('policy.asShare', { share: fmtNumber(stored, lang) })}` : ''}
                </span>
              )
            }
          >
            <InputNumber<number>
              value={input}
              min={spec.min}
              max={spec.max}
              step={spec.step}
              precision={spec.precision}
              suffix={spec.suffix}
              style={{ width: '100%' }}
              onInput={(text) => setTyped(text)}
              onChange={(v) => setInput(v)}
              onBlur={() => setTyped(null)}
              onPressEnter={f.submit}
              autoFocus
              data-testid="policy-input"
            />
          </Form.Item>
          <Form.Item
            label={t('policy.note')}
            required
            validateStatus={noteTouched && noteMissing ? 'error' : undefined}
            help={noteTouched && noteMissing ? <span data-testid="policy-note-error">{t('policy.noteRequired')}</span> : unchanged ? t('policy.unchanged') : undefined}
          >
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              onBlur={() => setNoteTouched(true)}
              rows={3}
              maxLength={NOTE_MAX}
              showCount
              placeholder={t('policy.notePlaceholder')}
              data-testid="policy-note-input"
            />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

/** Removes the value set at the shown region and year, showing what applies after. */
export function ClearModal({ open, def, setting, data, onClose, onCleared }: DialogProps & { onCleared: () => void }) {
  const { t, lang, label } = useI18n();
  const [note, setNote] = useState('');
  const f = useFormSubmit<{ note: string }, true>({
    fieldErrors: 'state',
    invalidates: [keys.policy],
    validate: () => ({ note: note.trim() }),
    save: async (v) => {
      await call(api.policyClear, { body: { regionCode: data.region.code, year: data.year, key: def.key, note: v.note || undefined } });
      return { saved: true, notice: t('policy.cleared') };
    },
    onSaved: () => onCleared(),
  });
  const { error, setError } = f;

  useEffect(() => {
    if (!open) return;
    setNote('');
    setError(null);
  }, [open, setError]);

  const name = label(def);
  return (
    <Modal
      open={open}
      title={t('policy.clearTitle', { name })}
      onCancel={onClose}
      onOk={f.submit}
      okText={t('policy.clear')}
      cancelText={t('policy.cancel')}
      okButtonProps={{ danger: true, 'data-testid': 'policy-clear-confirm' }}
      confirmLoading={f.saving}
      destroyOnHidden
    >
      <div data-testid="policy-clear-modal">
        <Typography.Paragraph>{t('policy.clearBody', { region: regionLabel(data), year: data.year, value: fmtValue(def, setting.value, lang, t) })}</Typography.Paragraph>
        {setting.inherited !== null && (
          <div className="tp-p-current">
            <span className="tp-p-current-label">{t('policy.clearThen')}</span>
            <span className="tp-p-current-value" data-testid="policy-clear-inherited">
              {fmtValue(def, setting.inherited, lang, t)}
            </span>
          </div>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" component="div">
          <Form.Item label={t('policy.clearNote')}>
            <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={NOTE_MAX} data-testid="policy-clear-note" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

/** Every value of one setting on the region's chain (current and replaced), newest first. */
export function HistoryDrawer({ open, def, setting, data, onClose }: DialogProps) {
  const { t, lang, errorText, label } = useI18n();
  const isMobile = useIsMobile();
  const history = useApiQuery(api.policyHistory, open ? { query: { regionCode: data.region.code, key: def.key } } : null);
  const items: PolicyValueRecord[] | null = history.data ?? null;
  const error = history.error ? errorText(history.error) : null;

  const name = label(def);
  const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
  return (
    <Drawer open={open} title={t('policy.historyTitle', { name })} onClose={onClose} size={isMobile ? '100%' : 520} destroyOnHidden>
      <div data-testid="policy-history-drawer">
        <Typography.Paragraph type="secondary">{t('policy.historyHint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} />}
        {!items && !error && <Skeleton active />}
        {items && items.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policy.historyEmpty', { value: fmtValue(def, def.default, lang, t) })} />
        )}
        {items && items.length > 0 && (
          <ol className="tp-p-history">
            {items.map((r) => {
              const inForce = r.id === setting.source.id;
              return (
                <li key={r.id} className={`tp-p-history-item${r.retiredAt ? ' tp-p-history-retired' : ''}`} data-testid="policy-history-item" data-id={r.id}>
                  <div className="tp-p-history-head">
                    <span className="tp-p-history-value" data-testid="policy-history-value">
                      {fmtValue(def, r.value, lang, t)}
                    </span>
                    {inForce ? (
                      <Tag color="green" variant="filled">{t('policy.historyInForce')}</Tag>
                    ) : r.retiredAt ? (
                      <Tag variant="filled">{t('policy.historyRetired')}</Tag>
                    ) : (
                      <Tag color="blue" variant="filled">{t('policy.historyActive')}</Tag>
                    )}
                  </div>
                  <div className="tp-p-history-where" data-testid="policy-history-where">
                    {t('policy.historyWhere', { region: r.regionName, year: r.year })}
                  </div>
                  <div className="tp-p-history-line">{t('policy.historySet', { user: r.setBy ?? '—', time: time(r.setAt) })}</div>
                  {r.note && <div className="tp-p-history-line">{t('policy.historyNote', { note: r.note })}</div>}
                  {r.retiredAt && (
                    <div className="tp-p-history-line tp-p-history-replaced" data-testid="policy-history-replaced">
                      {t('policy.historyReplaced', { time: time(r.retiredAt), user: r.retiredBy ?? '—' })}
                      {r.retireNote ? ` · ${t('policy.historyReason', { note: r.retireNote })}` : ''}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </Drawer>
  );
}
