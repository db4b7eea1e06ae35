// Shared bits of the pages: status badges, formatting, loading / empty / error states.
import {h} from './h.js';

const STATUS_CLASS = {
  RUNNING: 'running', STARTED: 'running', PROGRESS: 'running', SCHEDULED: 'pending',
  SUCCEEDED: 'ok', FINISHED: 'ok', COMPLETED: 'ok', READY: 'ok',
  FAILED: 'failed', KILLED: 'failed', PENDING: 'pending',
};

/** MLflow's run statuses shown as the pipeline's (FINISHED is SUCCEEDED). */
export function runStatus(mlflowStatus) {
  return mlflowStatus === 'FINISHED' ? 'SUCCEEDED' : mlflowStatus;
}

/** attrs.class adds to the badge's classes (e.g. 'big'). */
export function badge(status, {class: extra = '', ...attrs} = {}) {
  return h('span', {class: `badge ${STATUS_CLASS[status] || 'pending'} ${extra}`.trim(), ...attrs}, status || '—');
}

export function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
  if (isNaN(d)) return '—';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function duration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function num(value, digits = 4) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!isFinite(n)) return String(value);
  return Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

export function loading(text = 'Loading…') {
  return h('p', {class: 'loading', 'data-testid': 'loading'}, text);
}

export function errorBox(error, retry) {
  return h('div', {class: 'error-box', role: 'alert', 'data-testid': 'page-error'},
    h('strong', {}, error.status === 0 ? 'tracking-svc does not answer' : 'Something went wrong'),
    h('p', {}, error.status === 0 ? 'Is it running? ./mlops up starts it; this page tries again every 10 s.'
      : error.message),
    retry ? h('button', {type: 'button', class: 'secondary', onclick: retry}, 'Try again') : null);
}

/** A failed refresh of a page already shown: keep what it shows (the offline banner says it may be stale). */
export function keepShown(error, shown) {
  return shown && (error.status === 0 || error.status >= 500);
}

export function empty(testid, title, ...body) {
  return h('div', {class: 'empty', 'data-testid': testid}, h('strong', {}, title), ...body);
}

/** A two-column table of a map (params, metrics, tags). */
export function keyValueTable(testid, map, format = (v) => v) {
  const keys = Object.keys(map || {}).sort();
  if (!keys.length) return h('p', {class: 'muted', 'data-testid': testid}, 'none');
  return h('table', {class: 'kv', 'data-testid': testid},
    h('tbody', {}, keys.map((k) => h('tr', {'data-key': k}, h('th', {scope: 'row'}, k), h('td', {}, format(map[k]))))));
}
