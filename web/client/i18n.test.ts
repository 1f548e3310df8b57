import { afterEach, describe, expect, it } from 'vitest';
import { dateTimeOf, setLang, t, vesselLabel } from './i18n.js';

describe('message catalogue', () => {
  afterEach(() => setLang('zh'));

  it('English counts take the singular for one and the plural otherwise; zh-CN has no plural', () => {
    setLang('en');
    expect(t('sup_summary', { n: 1, from: 'a', to: 'b' })).toBe('1 alert raised a – b (Beijing time)');
    expect(t('sup_summary', { n: 0, from: 'a', to: 'b' })).toBe('0 alerts raised a – b (Beijing time)');
    expect(t('sup_summary', { n: 2, from: 'a', to: 'b' })).toBe('2 alerts raised a – b (Beijing time)');
    expect(t('track', { n: 1 })).toBe('Track (1 point)');
    expect(t('rp_summary', { n: 1, fixes: '1,234', points: '1', tol: 10 })).toBe('1 vessel, 1,234 fixes, 1 kept (turns kept, within 10 m)');
    expect(t('rp_summary', { n: 3, fixes: '1', points: '1', tol: 10 })).toBe('3 vessels, 1 fix, 1 kept (turns kept, within 10 m)');
    setLang('zh');
    expect(t('sup_summary', { n: 1, from: 'a', to: 'b' })).toBe('a 至 b（北京时间）共产生告警 1 条');
  });

  it('English dates name the month (Beijing time): 2026-12-03T11:42:05Z is 3 Dec 19:42:05; zh-CN month first', () => {
    setLang('en');
    expect(dateTimeOf('2026-12-03T11:42:05Z')).toBe('3 Dec 19:42:05');
    // 16:30 UTC is past midnight in Beijing: the next day.
    expect(dateTimeOf('2026-12-31T16:30:00Z')).toBe('1 Jan 00:30:00');
    setLang('zh');
    expect(dateTimeOf('2026-12-03T11:42:05Z')).toBe('12/03 19:42:05');
  });
});

describe('vessel labels', () => {
  afterEach(() => setLang('zh'));
  it('a name as it is; without one, the identity said as what it is (MMSI, BeiDou card), in the language shown', () => {
    setLang('en');
    expect(vesselLabel('浙岱渔10001', '412000001')).toBe('浙岱渔10001');
    expect(vesselLabel(null, '412000001')).toBe('MMSI 412000001');
    expect(vesselLabel(null, 'bd1234567')).toBe('BeiDou card 1234567');
    setLang('zh');
    expect(vesselLabel(undefined, 'bd1234567')).toBe('北斗卡号 1234567');
  });
});
