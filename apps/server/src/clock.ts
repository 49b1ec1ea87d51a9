/**
 * The calendar the product runs on: China's (Asia/Shanghai). Officers sign with, and every clock, age and
 * period is computed on, the date in China — not the UTC date, which is still yesterday from 00:00 to 08:00
 * Beijing time, nor the server's local zone.
 */
const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in China, 'YYYY-MM-DD'. */
export const todayInChina = (): string => CHINA_DATE.format(new Date());

/** The current year in China. */
export const currentYearInChina = (): number => Number(todayInChina().slice(0, 4));
