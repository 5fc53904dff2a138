type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Creates an element with attributes (false/undefined are left out, true is an empty
 * attribute) and children; strings become text nodes, so nothing is ever parsed as HTML.
 * There is no style attribute here: the CSP forbids inline styles.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}
