import { Tag } from 'antd';
import { EXIT_ITEMS, type ExitItemCode } from '@tuopin/domain';
import { useI18n } from '../../i18n';

/** Yuan with thousands separators and at most two decimals. */
export const money = (v: number) => v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** An unmet exit item as a tag. */
export function ExitItemTag({ code }: { code: ExitItemCode }) {
  const { label } = useI18n();
  const item = EXIT_ITEMS.find((i) => i.code === code)!;
  return (
    <Tag color={code === 'income' ? 'volcano' : 'orange'} data-testid="exit-item-tag" data-item={code}>
      {label(item)}
    </Tag>
  );
}
