// A run logged through the MLflow API (not a pipeline run): no stages, only what MLflow code logged.
import {h, fill} from './h.js';
import {badge, duration, keyValueTable, num, runStatus, time} from './ui.js';

export function renderMlflowRun(root, run) {
  const {info, data = {}} = run;
  const map = (list) => Object.fromEntries((list || []).map((e) => [e.key, e.value]));
  const start = Number(info.start_time) || null;
  const end = Number(info.end_time) || null;
  fill(root,
    h('header', {class: 'page-head'}, h('div', {class: 'title'},
      h('h1', {}, info.run_name || info.run_id),
      badge(runStatus(info.status), {'data-testid': 'run-status', class: 'big'}))),
    h('div', {class: 'facts'},
      h('span', {}, 'run ', h('b', {'data-testid': 'run-id'}, info.run_id)),
      h('span', {}, 'experiment ', h('b', {}, info.experiment_id)),
      h('span', {}, 'started ', h('b', {}, time(start))),
      h('span', {}, 'duration ', h('b', {}, start && end ? duration(end - start) : '—'))),
    h('p', {class: 'muted', 'data-testid': 'mlflow-run'},
      'A run logged through the MLflow API: it has no pipeline stages.'),
    h('div', {class: 'grid3'},
      h('section', {class: 'card'}, h('h2', {}, 'Metrics'), keyValueTable('metrics', map(data.metrics), (v) => num(v, 6))),
      h('section', {class: 'card'}, h('h2', {}, 'Params'), keyValueTable('params', map(data.params))),
      h('section', {class: 'card'}, h('h2', {}, 'Tags'), keyValueTable('tags', map(data.tags)))));
}
