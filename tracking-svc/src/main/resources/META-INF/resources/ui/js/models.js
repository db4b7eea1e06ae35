import {h, fill} from './h.js';
export function render(root) { fill(root, h('h1', {}, 'Coming soon')); }
