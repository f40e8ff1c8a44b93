// Small DOM helpers: every text goes in through textContent or a text node, never as HTML.

export const $ = id => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** An HTML table holding a chart's numbers. */
export function table(caption, headers, rows, numeric = []) {
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null, text: h })))),
      el('tbody', {}, rows.map(r => el('tr', {}, r.map((cell, i) =>
        i === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { class: numeric.includes(i) ? 'num' : null, text: cell })))))));
}

