// A tiny element builder: every value goes in as text or an attribute, never as HTML.

/**
 * h('a', {href: '#/runs', class: 'x', 'data-run-id': id, onclick: fn}, 'text', child, [more])
 * Attributes: on* functions become event listeners; false/null/undefined are left out; true sets an empty value.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
