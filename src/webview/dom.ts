/** A tiny element builder: text always goes in as textContent, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; text?: string; title?: string; attrs?: Record<string, string>; onClick?: () => void } = {},
  children: (Node | string | undefined | false)[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title) el.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  if (props.onClick) el.addEventListener('click', props.onClick);
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function button(label: string, onClick: () => void, cls = '', title?: string): HTMLButtonElement {
  return h('button', { class: `btn ${cls}`.trim(), text: label, onClick, ...(title ? { title } : {}), attrs: { type: 'button' } });
}

/**
 * Puts `children` into `parent` in order, moving or inserting only what differs: an unchanged item
 * keeps its node (and its focus, selection and scroll), so a re-render costs what changed.
 */
export function reconcile(parent: HTMLElement, children: readonly HTMLElement[]): void {
  children.forEach((el, i) => {
    const at = parent.children[i];
    if (at !== el) parent.insertBefore(el, at ?? null);
  });
  while (parent.children.length > children.length) parent.lastElementChild?.remove();
}
