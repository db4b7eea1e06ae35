// Charts on uPlot (the webjar, loaded by index.html as the global uPlot).
import {h} from './h.js';

const COLORS = ['#2f5bd3', '#d9822b', '#16803c', '#8e44ad', '#c4312b', '#138496', '#7f6a00', '#d63384'];

// Candidates and steps are whole numbers: ticks at 1, 2, 5, 10... apart, and a single point gets a range around it.
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const WHOLE_SCALE = {time: false, range: (u, min, max) => (min === max ? [min - 1, max + 1] : [min, max])};
const WHOLE_AXIS = {incrs: WHOLE_STEPS, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : ''))};

function width(el) {
  return Math.max(320, el.clientWidth || el.parentElement?.clientWidth || 640);
}

/**
 * The grid search: CV score per candidate (x = candidate index), the best candidate marked.
 * hover(index) -> a text describing candidate index (its params), for the legend.
 */
export function gridChart(el, steps, scores, best, describe) {
  const bestSeries = scores.map((v, i) => (i === best ? v : null));
  const opts = {
    width: width(el), height: 280,
    scales: {x: WHOLE_SCALE},
    axes: [{label: 'candidate', ...WHOLE_AXIS}, {label: 'CV mean score', size: 60, values: (u, v) => v.map((x) => x.toFixed(3))}],
    series: [
      {label: 'candidate', value: (u, v) => (v === null ? '—' : describe(v))},
      {label: 'CV score', stroke: COLORS[0], width: 1.5, points: {show: true, size: 5, fill: COLORS[0]},
        value: (u, v) => (v === null ? '—' : v.toFixed(4))},
      {label: 'best', stroke: '#16803c', width: 0, points: {show: true, size: 13, fill: '#16803c', stroke: '#fff'},
        value: (u, v) => (v === null ? '' : v.toFixed(4))},
    ],
    legend: {live: true},
  };
  return new uPlot(opts, [steps, scores, bestSeries], el);
}

/** Several runs' histories of one metric on one chart: runs = [{label, points: [{step, value}]}]. */
export function historyChart(el, runs, metric) {
  const steps = [...new Set(runs.flatMap((r) => r.points.map((p) => Number(p.step))))].sort((a, b) => a - b);
  const data = [steps, ...runs.map((r) => {
    const byStep = new Map(r.points.map((p) => [Number(p.step), p.value]));
    return steps.map((s) => (byStep.has(s) ? byStep.get(s) : null));
  })];
  const opts = {
    width: width(el), height: 300,
    scales: {x: WHOLE_SCALE},
    axes: [{label: 'step', ...WHOLE_AXIS}, {label: metric, size: 60}],
    series: [{label: 'step'}, ...runs.map((r, i) => ({label: r.label, stroke: COLORS[i % COLORS.length], width: 1.5,
      spanGaps: true, points: {show: true, size: 5, fill: COLORS[i % COLORS.length]}}))],
  };
  return new uPlot(opts, data, el);
}

/** A chart that does not exist yet: its box with a note instead. */
export function chartPlaceholder(text) {
  return h('p', {class: 'muted'}, text);
}
