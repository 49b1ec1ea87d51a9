/**
 * The product's calendar is China's (Asia/Shanghai), whatever the browser's time zone: officers sign with the date in
 * China, and the server checks every date against it (apps/server/src/clock.ts). Default dates of the forms come from
 * here, never from `dayjs()` / `new Date()` of the browser's zone (a laptop set to UTC is still on yesterday until
 * 08:00 Beijing time).
 */
import dayjs, { type Dayjs } from 'dayjs';

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in China, 'YYYY-MM-DD'. */
export const todayInChina = (): string => CHINA_DATE.format(new Date());

/** Today in China as a date-picker value (midnight of that calendar day). */
export const chinaToday = (): Dayjs => dayjs(todayInChina());

/** The current year in China. */
export const currentYearInChina = (): number => Number(todayInChina().slice(0, 4));

/** For a date picker's disabledDate: days after today in China. */
export const afterChinaToday = (d: Dayjs): boolean => d.format('YYYY-MM-DD') > todayInChina();
