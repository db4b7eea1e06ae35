// The run page's grid search: CV mean score per candidate from the metric history, the best one marked, each
// candidate's params from train's model/cv_results.csv.
import {h, fill} from './h.js';
import {api, artifactUrl} from './api.js';
import {gridChart} from './charts.js';
import {parseCsv} from './csv.js';
import {loading} from './ui.js';

const CV_RESULTS = 'model/cv_results.csv';
const PARAMS = ['n_estimators', 'max_depth', 'min_samples_split', 'min_samples_leaf'];

export function gridSection(runId) {
  const chart = h('div', {class: 'chart', 'data-testid': 'grid-chart'});
  const best = h('p', {'data-testid': 'grid-best'});
  const el = h('section', {class: 'card', 'aria-label': 'grid search'}, h('h2', {}, 'Grid search'), chart, best);
  let signature = null;
  let plot = null;

  async function update(run, artifactUri) {
    const train = run.stages.find((s) => s.stage === 'train');
    const hasCsv = Boolean(run.artifacts?.[CV_RESULTS]);
    const next = JSON.stringify([train?.status, train?.attempt, train?.progress?.done, hasCsv]);
    if (next === signature) return;
    signature = next;
    if (!train || train.status === 'PENDING') {
      fill(chart, h('p', {class: 'muted'}, train ? 'The grid search starts when the train stage does.'
        : 'This run has no train stage.'));
      best.hidden = true;
      return;
    }
    if (train.status !== 'COMPLETED' && train.status !== 'FAILED') {
      // train logs the scores when its search ends
      const p = train.progress;
      fill(chart, h('p', {class: 'muted'},
        `Scoring the candidates${p ? ` (${p.done}/${p.total})` : ''}: the chart appears when the search ends.`));
      best.hidden = true;
      return;
    }
    if (!chart.querySelector('canvas')) fill(chart, loading('Loading the scores…'));
    let points;
    let candidates = [];
    try {
      [points, candidates] = await Promise.all([
        api.get(`/pipelines/${encodeURIComponent(runId)}/metrics/cv_mean_test_score`)
          .catch((err) => (err.status === 404 ? [] : Promise.reject(err))),
        hasCsv && artifactUri ? api.text(artifactUrl(artifactUri, CV_RESULTS)).then(readCandidates).catch(() => [])
          : Promise.resolve([]),
      ]);
    } catch (err) {
      fill(chart, h('p', {class: 'field-error'}, `The grid search's scores did not load: ${err.message}`));
      return;
    }
    const byStep = new Map();
    for (const p of points) {
      const seen = byStep.get(p.step);
      if (!seen || p.timestamp >= seen.timestamp) byStep.set(p.step, p);
    }
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    if (!steps.length) {
      fill(chart, h('p', {class: 'muted'}, train.status === 'FAILED' ? 'The grid search did not finish.'
        : 'The grid search logged no score.'));
      best.hidden = true;
      return;
    }
    const scores = steps.map((s) => byStep.get(s).value);
    let bestIndex = 0;
    scores.forEach((v, i) => { if (v > scores[bestIndex]) bestIndex = i; });
    const describe = (step) => {
      const c = candidates[step];
      return c ? `#${step} ${PARAMS.map((k) => `${k}=${c[k]}`).join(' ')}` : `#${step}`;
    };
    plot?.destroy();
    chart.replaceChildren();
    plot = gridChart(chart, steps, scores, bestIndex, describe);
    const total = train.progress?.total;
    best.hidden = false;
    fill(best, h('strong', {}, 'Best: '), `candidate ${describe(steps[bestIndex])}, CV score ${scores[bestIndex].toFixed(4)}`,
      h('span', {class: 'muted'}, ` (${steps.length}${total ? '/' + total : ''} candidates scored)`));
  }

  return {el, update};
}

function readCandidates(text) {
  const [header, ...rows] = parseCsv(text.trim());
  return rows.map((r) => Object.fromEntries(header.map((k, i) => [k, r[i]])));
}
