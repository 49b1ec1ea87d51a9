import type { ReactNode } from 'react';
import { Typography } from 'antd';

export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="tp-page-header">
      <div className="tp-page-header-text">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Text type="secondary" className="tp-page-header-sub">
            {subtitle}
          </Typography.Text>
        )}
      </div>
      {extra && <div className="tp-page-header-extra">{extra}</div>}
    </div>
  );
}
