// Compare: two or more runs side by side, params and metrics in one table (differences highlighted), and one
// metric's history of every run on one chart.
import {h, fill} from './h.js';
import {api} from './api.js';
import {historyChart} from './charts.js';
import {badge, duration, empty, errorBox, loading, num} from './ui.js';
import {render as notFound} from './not-found.js';

const DEFAULT_METRIC = 'cv_mean_test_score';

export function render(root, idList) {
  const ids = [...new Set(idList.split(',').map((s) => s.trim()).filter(Boolean))];
  fill(root, loading('Loading the runs…'));
  let plot = null;

  (async () => {
    let runs;
    try {
      runs = await Promise.all(ids.map((id) => api.get(`/pipelines/${encodeURIComponent(id)}`)));
    } catch (err) {
      if (err.status === 404) notFound(root, `A run to compare does not exist: ${err.message}`);
      else fill(root, errorBox(err, () => render(root, idList)));
      return;
    }
    const onlyDiffs = h('input', {type: 'checkbox', id: 'only-diffs', 'data-testid': 'only-differences'});
    const table = compareTable(runs);
    onlyDiffs.addEventListener('change', () => table.classList.toggle('only-differences', onlyDiffs.checked));
    const metricSelect = h('select', {id: 'compare-metric', 'data-testid': 'compare-metric'});
    const chart = h('div', {class: 'chart', 'data-testid': 'compare-chart'});
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics || {})))].sort();
    fill(metricSelect, keys.map((k) => h('option', {value: k, selected: k === DEFAULT_METRIC}, k)));
    metricSelect.addEventListener('change', drawChart);

    fill(root,
      h('header', {class: 'page-head'}, h('h1', {}, runs.length === 1 ? 'Compare' : `Compare ${runs.length} runs`), h('div', {class: 'actions'},
        await addRunPicker(ids))),
      runs.length < 2 ? empty('compare-empty', 'Add a run to compare with.',
        h('p', {}, 'Choose one above, or tick runs in the ', h('a', {href: '#/runs'}, 'runs list'), '.')) : null,
      h('section', {class: 'card'},
        h('div', {class: 'page-head'}, h('h2', {}, 'Metric history'),
          h('label', {for: 'compare-metric', class: 'sr-only'}, 'metric'), metricSelect),
        chart),
      h('section', {class: 'card'},
        h('div', {class: 'page-head'}, h('h2', {}, 'Params and metrics'),
          h('label', {class: 'muted'}, onlyDiffs, ' only the differences')),
        table));
    drawChart();

    async function drawChart() {
      const metric = metricSelect.value;
      if (!metric) {
        fill(chart, h('p', {class: 'muted'}, 'These runs have no metric yet.'));
        return;
      }
      try {
        const histories = await Promise.all(runs.map((r) =>
          api.get(`/pipelines/${encodeURIComponent(r.runId)}/metrics/${encodeURIComponent(metric)}`)));
        plot?.destroy();
        chart.replaceChildren();
        plot = historyChart(chart, runs.map((r, i) => ({label: label(r), points: histories[i]})), metric);
      } catch (err) {
        fill(chart, h('p', {class: 'field-error'}, err.message));
      }
    }
  })();
}

function label(run) {
  return `${run.name || 'run'} ${run.runId.slice(0, 8)}`;
}

function compareTable(runs) {
  const rows = [
    ['status', runs.map((r) => r.status), (v) => badge(v)],
    ['duration', runs.map((r) => r.durationMs), (v) => duration(v), false],
  ];
  for (const [prefix, field, format] of [['metrics', 'metrics', (v) => num(v, 6)], ['params', 'params', (v) => v]]) {
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r[field] || {})))].sort();
    for (const key of keys) rows.push([`${prefix}.${key}`, runs.map((r) => r[field]?.[key]), format]);
  }
  return h('table', {class: 'data compare-table', 'data-testid': 'compare-table'},
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, ''), runs.map((r) => h('th', {scope: 'col', 'data-run-id': r.runId},
      h('a', {href: `#/runs/${encodeURIComponent(r.runId)}`}, label(r)))))),
    h('tbody', {}, rows.map(([key, values, format, compared = true]) => {
      const differs = compared && new Set(values.map((v) => (v === undefined || v === null ? '' : String(v)))).size > 1;
      return h('tr', {'data-key': key, class: differs ? 'differs' : null},
        h('th', {scope: 'row'}, key),
        values.map((v) => h('td', {}, v === undefined || v === null ? '—' : format(v))));
    })));
}

/** A select of recent runs; choosing one adds it to the comparison. */
async function addRunPicker(ids) {
  let recent = [];
  try {
    recent = (await api.get('/pipelines?page=0&size=20')).runs.filter((r) => !ids.includes(r.runId));
  } catch {
    return null;
  }
  if (!recent.length) return null;
  const select = h('select', {'data-testid': 'compare-add', 'aria-label': 'add a run'},
    h('option', {value: ''}, 'Add a run…'),
    recent.map((r) => h('option', {value: r.runId}, `${r.name} ${r.runId.slice(0, 8)} (${r.status})`)));
  select.addEventListener('change', () => {
    if (select.value) location.hash = `#/compare/${[...ids, select.value].join(',')}`;
  });
  return select;
}
