import { describe, expect, it } from 'vitest';
import { isSafeSedScript } from '../../../../../src/core/policy/command/rules/sedScript';

describe('isSafeSedScript', () => {
  it.each(['p', '1,20p', '$p', '/foo/p', '/^#/d', 's/a/b/', 's/a/b/g', 's|x/y|z|gI', '5q', 's/a\\/b/c/;s/d/e/2', '/start/,/end/!d', 's/w/e/'])('accepts %j', (script) => {
    expect(isSafeSedScript(script)).toBe(true);
  });

  it.each(['e id', '1e id', 's/a/b/e', 's/a/b/w out', 'w out.txt', 'r /etc/passwd', 'R x', '1W x', 's/a/b', 'y/abc/xyz/', '{p}', 'a\\text'])('refuses %j', (script) => {
    expect(isSafeSedScript(script)).toBe(false);
  });
});
