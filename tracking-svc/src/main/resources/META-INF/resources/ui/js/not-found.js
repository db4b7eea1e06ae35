import {h, fill} from './h.js';

export function render(root, what) {
  fill(root, h('div', {class: 'not-found', 'data-testid': 'not-found'},
    h('h1', {}, 'Not found'),
    h('p', {}, what || `Nothing lives at ${location.hash || '/'}.`),
    h('a', {href: '#/runs', class: 'button'}, 'Back to the runs')));
}
