import { describe, expect, it } from 'vitest';
import { setStrings, t } from '../../../src/webview/strings';

describe('the panel string table (issue 16 item 9)', () => {
  it('English is the key; placeholders are filled; a bundle replaces messages it has', () => {
    expect(t('Send')).toBe('Send');
    expect(t('{0} proposed changes waiting for your review', 3)).toBe('3 proposed changes waiting for your review');
    expect(t('Reason for rejecting: {0}', 'Run {1}?')).toBe('Reason for rejecting: Run {1}?');
    setStrings({ Send: 'Senden', 'You answered: {0}': 'Ihre Antwort: {0}' });
    expect(t('Send')).toBe('Senden');
    expect(t('You answered: {0}', 'vitest')).toBe('Ihre Antwort: vitest');
    expect(t('Stop')).toBe('Stop');
    setStrings(undefined);
    expect(t('Send')).toBe('Send');
  });
});
