import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Select, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { ClearOutlined, EditOutlined, HistoryOutlined, InfoCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { POLICY_DEFINITIONS, POLICY_LEVELS, type EffectivePolicySetting, type EndpointResponse, type PolicyDefinition } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/queries';
import { useMe } from '../../auth/AuthContext';
import { useI18n, type MsgKey } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { RegionPicker } from '../../components/RegionPicker';
import { useIsMobile } from '../../utils/hooks';
import { fmtNumber, fmtValue } from './format';
import { ClearModal, EditModal, HistoryDrawer } from './dialogs';
import './policy.css';
import { currentYearInChina } from '../../utils/chinaDate';

type Effective = EndpointResponse<typeof api.policyEffective>;

const CURRENT_YEAR = currentYearInChina();
const FIRST_YEAR = 2014;
const LAST_YEAR = CURRENT_YEAR + 1;
const YEARS = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => LAST_YEAR - i);
const GROUPS = ['lines', 'spending', 'people', 'procedure'] as const;

/** The view as kept in the URL: region and year. */
interface View {
  region?: string;
  year: number;
}

function readView(sp: URLSearchParams): View {
  const region = sp.get('region');
  const year = Number(sp.get('year'));
  return {
    region: region && /^\d{12}$/.test(region) ? region : undefined,
    year: Number.isInteger(year) && year >= FIRST_YEAR && year <= LAST_YEAR ? year : CURRENT_YEAR,
  };
}

function writeView(v: View): URLSearchParams {
  const sp = new URLSearchParams();
  if (v.region) sp.set('region', v.region);
  if (v.year !== CURRENT_YEAR) sp.set('year', String(v.year));
  return sp;
}

/** What a dialog is open for. */
type Dialog = { kind: 'edit' | 'clear' | 'history'; key: string } | null;

export default function PolicyPage() {
  const me = useMe();
  const { t, lang, errorText } = useI18n();
  const isMobile = useIsMobile();
  const [sp, setSp] = useSearchParams();
  const spText = sp.toString();
  const view = useMemo(() => readView(new URLSearchParams(spText)), [spText]);
  // Settings are set at nation–county level; a user below the county sees those in force for their own region.
  const region = view.region ?? me.region.code;
  const levels = useMemo(() => [...new Set<number>([...POLICY_LEVELS, me.region.level])].sort((a, b) => a - b), [me.region.level]);

  const effective = useApiQuery(api.policyEffective, { query: { regionCode: region, year: view.year } }, { keepPrevious: true });
  const data: Effective | null = effective.error ? null : (effective.data ?? null);
  const error = effective.error ? errorText(effective.error) : null;
  const [dialog, setDialog] = useState<Dialog>(null);

  const patch = (p: Partial<View>) => setSp(writeView({ ...view, ...p }), { replace: true });

  // A response of the region and year shown (an older one is kept while the next loads).
  const current = data && data.region.code === region && data.year === view.year ? data : null;
  const editable = !!current?.editable;
  const setting = (key: string) => data?.settings.find((s) => s.key === key);
  const open = dialog ? setting(dialog.key) : undefined;
  const openDef = dialog ? POLICY_DEFINITIONS.find((d) => d.key === dialog.key) : undefined;

  const toolbar = (
    <div className="tp-filters">
      <RegionPicker
        value={region}
        allowClear={false}
        allowedLevels={levels}
        onChange={(c) => c && patch({ region: c === me.region.code ? undefined : c })}
        style={{ width: isMobile ? '100%' : 300 }}
        data-testid="policy-region"
      />
      <Select<number>
        value={view.year}
        onChange={(y) => patch({ year: y })}
        options={YEARS.map((y) => ({ value: y, label: t('policy.yearOption', { year: y }) }))}
        style={{ width: isMobile ? '100%' : 110 }}
        data-testid="policy-year"
      />
    </div>
  );

  const scope = data && (
    <div className="tp-p-scope">
      <Typography.Text strong data-testid="policy-scope">
        {t('policy.scope', { region: data.region.fullName || data.region.name, year: data.year })}
      </Typography.Text>
      <Typography.Text type="secondary" className="tp-p-scope-hint" data-testid="policy-mode">
        {data.editable ? t('policy.editableHint') : data.region.level > 3 ? t('policy.readOnlyLevel') : t('policy.readOnly')}
      </Typography.Text>
    </div>
  );

  return (
    <div className="tp-p" data-testid="policy-page">
      <PageHeader title={t('menu.policy')} subtitle={t('policy.subtitle')} />
      <Card variant="borderless" className="tp-p-top">
        {toolbar}
        {scope}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="policy-error" />}
      </Card>
      {!data && !error && (
        <Card variant="borderless" style={{ marginTop: 16 }}>
          <Skeleton active />
        </Card>
      )}
      {data && (
        <div className="tp-p-groups" data-testid="policy-settings" aria-busy={!current}>
          {GROUPS.map((g) => (
            <Card
              key={g}
              variant="borderless"
              size="small"
              title={t(`policy.group.${g}` as MsgKey)}
              className="tp-p-group"
              data-testid={`policy-group-${g}`}
            >
              {POLICY_DEFINITIONS.filter((d) => d.group === g).map((d) => {
                const s = setting(d.key);
                return s ? (
                  <SettingRow
                    key={d.key}
                    def={d}
                    s={s}
                    editable={editable}
                    onEdit={() => setDialog({ kind: 'edit', key: d.key })}
                    onClear={() => setDialog({ kind: 'clear', key: d.key })}
                    onHistory={() => setDialog({ kind: 'history', key: d.key })}
                  />
                ) : null;
              })}
            </Card>
          ))}
        </div>
      )}
      {data && openDef && open && (
        <>
          <EditModal
            open={dialog?.kind === 'edit'}
            def={openDef}
            setting={open}
            data={data}
            lang={lang}
            onClose={() => setDialog(null)}
            // the dialog's save invalidates keys.policy: the values in force are refetched
            onSaved={() => setDialog(null)}
          />
          <ClearModal
            open={dialog?.kind === 'clear'}
            def={openDef}
            setting={open}
            data={data}
            onClose={() => setDialog(null)}
            onCleared={() => setDialog(null)}
          />
          <HistoryDrawer open={dialog?.kind === 'history'} def={openDef} setting={open} data={data} onClose={() => setDialog(null)} />
        </>
      )}
    </div>
  );
}

/** One setting: name and basis, the value in force, where it comes from, and the actions the user may take. */
function SettingRow({ def, s, editable, onEdit, onClear, onHistory }: {
  def: PolicyDefinition; s: EffectivePolicySetting; editable: boolean; onEdit: () => void; onClear: () => void; onHistory: () => void;
}) {
  const { t, lang, label } = useI18n();
  const name = label(def);
  const other = lang === 'zh' ? def.en : def.zh;
  const here = s.setHere;
  const source = here
    ? t('policy.source.here')
    : s.source.id !== null
      ? t('policy.source.region', { region: s.source.regionName ?? s.source.regionCode ?? '', year: s.source.year ?? '' })
      : t('policy.source.default');
  return (
    <div className={`tp-p-row${here ? ' tp-p-row-here' : ''}`} data-testid="policy-setting" data-key={def.key}>
      <div className="tp-p-name">
        <div className="tp-p-name-main">
          <span data-testid="policy-name">{name}</span>
          <Tooltip title={<>{other}<br />{t('policy.basis', { text: def.basis })}</>}>
            <InfoCircleOutlined className="tp-p-info" />
          </Tooltip>
        </div>
        <div className="tp-p-basis" data-testid="policy-basis">
          {def.basis}
        </div>
      </div>
      <div className="tp-p-value">
        <span className="tp-p-value-main" data-testid="policy-value">
          {fmtValue(def, s.value, lang, t)}
        </span>
        {def.unit === 'share' && s.value !== null && (
          <span className="tp-p-value-raw" data-testid="policy-share">
            {fmtNumber(s.value, lang)}
          </span>
        )}
        {s.value !== s.defaultValue && (
          <div className="tp-p-value-sub" data-testid="policy-default">
            {t('policy.default', { value: fmtValue(def, s.defaultValue, lang, t) })}
          </div>
        )}
      </div>
      <div className="tp-p-source">
        <Tag color={here ? 'green' : s.source.id !== null ? 'blue' : 'default'} variant="filled" className="tp-p-tag" data-testid="policy-source">
          {source}
        </Tag>
        {here && (
          <div className="tp-p-source-sub">
            <div data-testid="policy-set-by">{t('policy.setBy', { user: here.setBy ?? '—', time: dayjs(here.setAt).format('YYYY-MM-DD HH:mm') })}</div>
            {here.note && (
              <div className="tp-p-note" data-testid="policy-note">
                {t('policy.historyNote', { note: here.note })}
              </div>
            )}
            {s.inherited !== null && <div data-testid="policy-inherited">{t('policy.inherited', { value: fmtValue(def, s.inherited, lang, t) })}</div>}
          </div>
        )}
      </div>
      <div className="tp-p-actions">
        {/* a setting that did not exist yet in the year (null) cannot be set for it */}
        {editable && s.value !== null && (
          <Button size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="policy-edit">
            {t('policy.edit')}
          </Button>
        )}
        {editable && here && (
          <Button size="small" icon={<ClearOutlined />} onClick={onClear} data-testid="policy-clear">
            {t('policy.clear')}
          </Button>
        )}
        <Button size="small" type="text" icon={<HistoryOutlined />} onClick={onHistory} data-testid="policy-history">
          {t('policy.history')}
        </Button>
      </div>
    </div>
  );
}
