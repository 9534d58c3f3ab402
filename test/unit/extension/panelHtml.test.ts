import { describe, expect, it } from 'vitest';
import { makeNonce, panelHtml } from '../../../src/extension/panel/panelHtml';

describe('panelHtml', () => {
  const html = panelHtml({ cspSource: 'https://res.example', scriptUri: 'https://res.example/dist/webview.js', styleUri: 'https://res.example/media/panel.css', nonce: 'abc123' });
  const csp = /content="([^"]+)"/.exec(html)?.[1] ?? '';

  it('allows only the nonce script and local styles, and no network', () => {
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-abc123'");
    expect(csp).toContain('style-src https://res.example');
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/img-src[^;]*https?:(?!\/\/res\.example)/);
    expect(html).toContain('<script nonce="abc123" src="https://res.example/dist/webview.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('makes a different unguessable nonce each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9]{20,}$/);
  });

  it('escapes resource URIs into attributes', () => {
    expect(panelHtml({ cspSource: 'x', scriptUri: 'a"b', styleUri: 's', nonce: 'n' })).toContain('src="a&quot;b"');
  });
});
