import { Button, Dropdown } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';

/** Switches the UI language; the choice is kept in localStorage. Each language is named in itself. */
export function LangSwitch({ light }: { light?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: [
          { key: 'zh', label: <span data-testid="lang-zh">简体中文</span> },
          { key: 'en', label: <span data-testid="lang-en">English</span> },
        ],
        onClick: ({ key }) => setLang(key === 'en' ? 'en' : 'zh'),
      }}
    >
      <Button
        type="text"
        aria-label={t('header.language')}
        data-testid="lang-switch"
        icon={<TranslationOutlined />}
        style={light ? { color: '#fff' } : undefined}
      >
        {lang === 'zh' ? '中' : 'EN'}
      </Button>
    </Dropdown>
  );
}
