// The run page's evaluation: for a classifier the confusion matrix as a heatmap (evaluate/metrics.json) and the
// classification report as a table (evaluate/classification_report.txt, scikit-learn's layout); for a regressor
// (metrics.json says task "regression") RMSE, MAE and R² and the gate's verdict instead.
import {h, fill} from './h.js';
import {api, artifactUrl} from './api.js';
import {num} from './ui.js';

const METRICS = 'evaluate/metrics.json';
const REPORT = 'evaluate/classification_report.txt';

export function evaluationSection() {
  const matrix = h('div', {});
  const report = h('div', {});
  const leftTitle = h('h3', {}, CLASSIFICATION_TITLES[0]);
  const rightTitle = h('h3', {}, CLASSIFICATION_TITLES[1]);
  const el = h('section', {class: 'card', 'aria-label': 'evaluation'}, h('h2', {}, 'Evaluation'),
    h('div', {class: 'grid2'},
      h('div', {}, leftTitle, matrix),
      h('div', {}, rightTitle, report)));
  let loadedFrom = null;

  async function update(run, artifactUri) {
    const uris = [run.artifacts?.[METRICS], run.artifacts?.[REPORT]];
    if (!uris[0] || !artifactUri) {
      const evaluate = run.stages.find((s) => s.stage === 'evaluate');
      const why = evaluate?.status === 'FAILED' ? 'The evaluate stage failed: no evaluation.'
        : 'The evaluation appears when the evaluate stage completes.';
      fill(matrix, h('p', {class: 'muted'}, why));
      fill(report);
      loadedFrom = null;
      return;
    }
    const key = uris.join('|');
    if (key === loadedFrom) return;
    loadedFrom = key;
    try {
      const metrics = JSON.parse(await api.text(artifactUrl(artifactUri, METRICS)));
      if (metrics.task === 'regression') {
        leftTitle.textContent = REGRESSION_TITLES[0];
        rightTitle.textContent = REGRESSION_TITLES[1];
        fill(matrix, regressionTable(metrics));
        fill(report, gateTable(metrics.gate || {}));
        return;
      }
      leftTitle.textContent = CLASSIFICATION_TITLES[0];
      rightTitle.textContent = CLASSIFICATION_TITLES[1];
      fill(matrix, heatmap(metrics.labels || [], metrics.confusion_matrix || []));
    } catch (err) {
      fill(matrix, h('p', {class: 'field-error'}, `${METRICS} did not load: ${err.message}`));
      loadedFrom = null;
    }
    if (uris[1]) {
      try {
        fill(report, reportTable(await api.text(artifactUrl(artifactUri, REPORT))));
      } catch (err) {
        fill(report, h('p', {class: 'field-error'}, `${REPORT} did not load: ${err.message}`));
        loadedFrom = null;
      }
    }
  }

  return {el, update};
}

const CLASSIFICATION_TITLES = ['Confusion matrix (rows: true label, columns: predicted)', 'Classification report'];
const REGRESSION_TITLES = ['Regression metrics (test split)', 'Quality gate'];

function regressionTable(metrics) {
  const rows = [['RMSE', metrics.rmse], ['MAE', metrics.mae], ['R²', metrics.r2], ['test rows', metrics.test_rows]];
  return h('table', {class: 'data', 'data-testid': 'regression-metrics'},
    h('tbody', {}, rows.map(([name, value]) => h('tr', {'data-metric': name},
      h('th', {scope: 'row'}, name), h('td', {class: 'num'}, value === undefined ? '' : num(value))))));
}

function gateTable(gate) {
  const rows = [];
  if (gate.min_r2 !== undefined && gate.min_r2 !== null) rows.push(['gate.minR2', num(gate.min_r2)]);
  if (gate.max_rmse !== undefined && gate.max_rmse !== null) rows.push(['gate.maxRmse', num(gate.max_rmse)]);
  if (!rows.length) rows.push(['gate', 'none set (gate.minR2, gate.maxRmse)']);
  rows.push(['passed', gate.passed ? 'yes' : 'no']);
  Object.entries(gate.not_applied || {}).forEach(([field, why]) => rows.push([field, `not applied: ${why}`]));
  return h('table', {class: 'data', 'data-testid': 'regression-gate'},
    h('tbody', {}, rows.map(([name, value]) => h('tr', {}, h('th', {scope: 'row'}, name), h('td', {}, value)))));
}

function heatmap(labels, rows) {
  const max = Math.max(1, ...rows.flat());
  return h('table', {class: 'heatmap', 'data-testid': 'confusion-matrix'},
    h('thead', {}, h('tr', {}, h('th', {}), labels.map((l) => h('th', {scope: 'col'}, `predicted ${l}`)))),
    h('tbody', {}, rows.map((row, r) => h('tr', {},
      h('th', {scope: 'row'}, `true ${labels[r] ?? r}`),
      row.map((count, c) => {
        const cell = h('td', {'data-count': count, title: `true ${labels[r]}, predicted ${labels[c]}: ${count}`}, count);
        const share = count / max;
        cell.style.background = `rgba(47, 91, 211, ${0.08 + 0.85 * share})`;
        cell.style.color = share > 0.5 ? '#fff' : '#1d2430';
        return cell;
      })))));
}

/** scikit-learn's classification_report text -> rows of label, precision, recall, f1-score, support. */
export function parseReport(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const header = lines.shift()?.split(/\s+/) || [];
  return {
    header,
    rows: lines.map((line) => {
      const tokens = line.split(/\s+/);
      let n = 0;
      while (n < tokens.length - 1 && /^-?\d+(\.\d+)?$/.test(tokens[tokens.length - 1 - n])) n++;
      const values = tokens.slice(tokens.length - n);
      const label = tokens.slice(0, tokens.length - n).join(' ');
      // "accuracy" has only f1-score and support
      const padded = Array(header.length - values.length).fill('').concat(values);
      return {label, values: padded};
    }),
  };
}

function reportTable(text) {
  const {header, rows} = parseReport(text);
  return h('table', {class: 'data report', 'data-testid': 'classification-report'},
    h('thead', {}, h('tr', {}, h('th', {}, 'class'), header.map((c) => h('th', {class: 'num', scope: 'col'}, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {'data-label': r.label}, h('th', {scope: 'row'}, r.label),
      r.values.map((v) => h('td', {class: 'num'}, v === '' ? '' : num(v)))))));
}
