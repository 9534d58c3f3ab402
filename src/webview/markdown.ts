import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Model text as Markdown, sanitised: no scripts, styles, forms, frames or images (an image would be
 * a request to a remote host chosen by model output). Links stay links; VS Code opens them outside.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'svg', 'math', 'video', 'audio', 'source', 'picture'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  });
}
