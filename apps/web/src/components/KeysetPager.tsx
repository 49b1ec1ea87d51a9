import { Button, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';
import './KeysetPager.css';

/**
 * Paging of a keyset-paged list: the total on the left, previous / next on the right (full width on a phone).
 * The caller keeps the cursors; test ids are `<testId>-list-total`, `<testId>-prev`, `<testId>-next`.
 */
export function KeysetPager(props: { total: string; hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="tp-keyset-pager">
      <Typography.Text type="secondary" data-testid={`${props.testId}-list-total`}>
        {props.total}
      </Typography.Text>
      <div className="tp-keyset-pager-buttons">
        <Button icon={<LeftOutlined />} disabled={!props.hasPrev} onClick={props.onPrev} data-testid={`${props.testId}-prev`}>
          {t('common.prevPage')}
        </Button>
        <Button disabled={!props.hasNext} onClick={props.onNext} data-testid={`${props.testId}-next`}>
          {t('common.nextPage')} <RightOutlined />
        </Button>
      </div>
    </div>
  );
}
