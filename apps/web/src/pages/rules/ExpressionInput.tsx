import { forwardRef, useImperativeHandle, useRef, type ComponentRef, type ReactNode } from 'react';
import { Input } from 'antd';
import type { RuleError } from '@tuopin/domain';
import { useI18n } from '../../i18n';

type TextAreaRef = ComponentRef<typeof Input.TextArea>;

/** What the editor can do with the expression box from outside (help panel, error list). */
export interface ExpressionHandle {
  /** Replaces the selection with `text` and puts the cursor `cursorBack` characters before its end. */
  insert: (text: string, cursorBack?: number) => void;
  /** Selects a range of the source (UTF-16 offsets) and focuses the box. */
  select: (start: number, end: number) => void;
}

interface Props {
  value: string;
  onChange: (v: string) => void;
  errors: readonly RuleError[];
  readOnly?: boolean;
}

/** Ranges to mark, merged and never empty (an error at the very end marks one character past it). */
function ranges(errors: readonly RuleError[]): [number, number][] {
  const rs = errors
    .map((e): [number, number] => [e.position.offset, Math.max(e.end.offset, e.position.offset + 1)])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

/**
 * The expression box: a monospace TextArea over a backdrop with the same text, in which the parts an
 * error points at are marked with a red wavy underline.
 */
export const ExpressionInput = forwardRef<ExpressionHandle, Props>(function ExpressionInput({ value, onChange, errors, readOnly }, ref) {
  const { t } = useI18n();
  const area = useRef<TextAreaRef>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const el = () => area.current?.resizableTextArea?.textArea ?? null;

  useImperativeHandle(ref, () => ({
    insert(text, cursorBack = 0) {
      const ta = el();
      const start = ta?.selectionStart ?? value.length;
      const end = ta?.selectionEnd ?? value.length;
      const next = value.slice(0, start) + text + value.slice(end);
      onChange(next);
      const caret = start + text.length - cursorBack;
      requestAnimationFrame(() => {
        const a = el();
        if (!a) return;
        a.focus();
        a.setSelectionRange(caret, caret);
      });
    },
    select(start, end) {
      const a = el();
      if (!a) return;
      a.focus();
      a.setSelectionRange(start, Math.min(Math.max(end, start + 1), a.value.length));
    },
  }));

  const parts: ReactNode[] = [];
  let at = 0;
  for (const [s, e] of ranges(errors)) {
    if (s > at) parts.push(value.slice(at, s));
    const text = value.slice(s, e);
    parts.push(
      <mark key={s} className="tp-r-mark" data-testid="rule-error-mark">
        {text === '' || text === '\n' ? ' ' : text}
      </mark>,
    );
    at = Math.max(at, e);
  }
  if (at < value.length) parts.push(value.slice(at));
  // a trailing newline needs a character after it to take up its line in the backdrop
  parts.push('\u200b');

  return (
    <div className={`tp-r-expr${errors.length ? ' tp-r-expr-error' : ''}`}>
      <div className="tp-r-expr-backdrop" ref={backdrop} aria-hidden>
        {parts}
      </div>
      <Input.TextArea
        ref={area}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
        }}
        readOnly={readOnly}
        autoSize={{ minRows: 4, maxRows: 14 }}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-label={t('rules.field.expression')}
        className="tp-r-expr-input"
        data-testid="rule-expression"
      />
    </div>
  );
});

/** The line an error points at with a caret line under the offending part, as a compiler prints it. */
export function ErrorSnippet({ source, error }: { source: string; error: RuleError }) {
  const lineStart = source.lastIndexOf('\n', error.position.offset - 1) + 1;
  const nl = source.indexOf('\n', lineStart);
  const lineEnd = nl < 0 ? source.length : nl;
  const line = source.slice(lineStart, lineEnd);
  const prefix = source.slice(lineStart, error.position.offset);
  const marked = source.slice(error.position.offset, Math.min(Math.max(error.end.offset, error.position.offset), lineEnd));
  // keep the caret under the character: full-width characters take two columns in a monospace font
  const pad = [...prefix].map((c) => (c === '\t' ? '\t' : isWide(c) ? '\u3000' : ' ')).join('');
  const carets = '^'.repeat(Math.max(1, [...marked].reduce((n, c) => n + (isWide(c) ? 2 : 1), 0)));
  return (
    <pre className="tp-r-snippet" data-testid="rule-error-snippet">
      {line}
      {'\n'}
      <span className="tp-r-caret">
        {pad}
        {carets}
      </span>
    </pre>
  );
}

function isWide(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6);
}
