// Runs: every MLflow run (pipeline runs are MLflow runs of the experiment named after the pipeline), searched,
// sorted and paged by tracking-svc's runs/search, so 10,000+ runs cost one page at a time.
import {h, fill} from './h.js';
import {api} from './api.js';
import {live} from './events.js';
import {badge, duration, empty, errorBox, keepShown, loading, num, runStatus, time} from './ui.js';

const PAGE_SIZE = 50;
const COLUMNS = [
  ['status', 'Status', 'attributes.status'],
  ['name', 'Name', 'attributes.run_name'],
  ['started', 'Started', 'attributes.start_time'],
  ['duration', 'Duration', null],
  ['accuracy', 'Accuracy', 'metrics.accuracy'],
  ['model-version', 'Model version', 'params.model_version'],
  ['deployed', 'Deployed', null],
];
const STATUS_FILTER = {RUNNING: 'RUNNING', SUCCEEDED: 'FINISHED', FAILED: 'FAILED', KILLED: 'KILLED'};

// kept while the page is left, so coming back shows the same view
const state = {filter: '', status: '', sort: 'attributes.start_time', ascending: false, tokens: [null], selected: new Set()};

export function render(root) {
  const filterInput = h('input', {type: 'search', id: 'runs-filter', 'data-testid': 'runs-filter',
    placeholder: 'metrics.accuracy > 0.8 and params.model_name = \'titanic-rf\'', value: state.filter});
  const statusSelect = h('select', {id: 'status-filter', 'data-testid': 'status-filter'},
    h('option', {value: ''}, 'any status'),
    Object.keys(STATUS_FILTER).map((s) => h('option', {value: s, selected: s === state.status}, s)));
  const filterError = h('p', {class: 'field-error', 'data-testid': 'filter-error', role: 'alert', hidden: true});
  const compareButton = h('button', {type: 'button', 'data-testid': 'compare-selected', class: 'secondary',
    onclick: () => { location.hash = `#/compare/${[...state.selected].join(',')}`; }});
  const body = h('div', {}, loading('Loading runs…'));
  const pager = h('div', {class: 'pager'});

  fill(root,
    h('header', {class: 'page-head'},
      h('h1', {}, 'Runs'),
      h('div', {class: 'actions'}, compareButton, h('a', {href: '#/runs/new', class: 'button', 'data-testid': 'new-run'}, 'New run'))),
    h('form', {class: 'toolbar', role: 'search', onsubmit: (e) => { e.preventDefault(); restart(); }},
      h('label', {for: 'runs-filter', class: 'sr-only'}, 'Filter'), filterInput,
      h('label', {for: 'status-filter', class: 'sr-only'}, 'Status'), statusSelect,
      h('button', {type: 'submit', class: 'secondary'}, 'Filter')),
    filterError, body, pager);
  statusSelect.addEventListener('change', restart);
  updateCompare();

  function restart() {
    state.filter = filterInput.value.trim();
    state.status = statusSelect.value;
    state.tokens = [null];
    load();
  }

  function updateCompare() {
    const n = state.selected.size;
    compareButton.textContent = n ? `Compare ${n} selected` : 'Compare selected';
    compareButton.disabled = n < 2;
  }

  let loadId = 0;
  let shown = false;
  async function load() {
    const id = ++loadId;
    try {
      const [page, deployed] = await Promise.all([search(), deployedVersions()]);
      if (id !== loadId) return;
      filterError.hidden = true;
      shown = true;
      fill(body, page.runs.length ? table(page.runs, deployed) : noRuns());
      fill(pager, pagerControls(page.nextPageToken));
    } catch (err) {
      if (id !== loadId) return;
      if (err.status === 400) {
        filterError.textContent = err.message;
        filterError.hidden = false;
        fill(body);
      } else if (!keepShown(err, shown)) {
        fill(body, errorBox(err, load));
      }
    }
  }

  async function search() {
    const experiments = await api.mlflow('experiments/search', {max_results: 1000});
    const ids = (experiments.experiments || []).map((e) => e.experiment_id);
    if (!ids.length) return {runs: [], nextPageToken: null};
    const clauses = [state.filter, state.status && `attributes.status = '${STATUS_FILTER[state.status]}'`].filter(Boolean);
    const request = {experiment_ids: ids, filter: clauses.join(' and '), max_results: PAGE_SIZE,
      order_by: [`${state.sort} ${state.ascending ? 'ASC' : 'DESC'}`]};
    const token = state.tokens[state.tokens.length - 1];
    if (token) request.page_token = token;
    const answer = await api.mlflow('runs/search', request);
    return {runs: answer.runs || [], nextPageToken: answer.next_page_token || null};
  }

  function table(runs, deployed) {
    return h('table', {class: 'data runs', 'data-testid': 'runs-table'},
      h('thead', {}, h('tr', {},
        h('th', {class: 'check'}, h('span', {class: 'sr-only'}, 'Compare')),
        COLUMNS.map(([col, label, key]) => key ? sortHeader(col, label, key) : h('th', {scope: 'col'}, label)))),
      h('tbody', {}, runs.map((r) => row(r, deployed))));
  }

  function sortHeader(col, label, key) {
    const active = state.sort === key;
    // the whole header cell sorts (a click anywhere in it); the button inside makes it reachable by keyboard
    return h('th', {scope: 'col', 'data-sort': col, class: active ? 'sorted sortable' : 'sortable',
      'aria-sort': active ? (state.ascending ? 'ascending' : 'descending') : 'none', onclick: () => {
        state.ascending = active ? !state.ascending : col === 'name';
        state.sort = key;
        state.tokens = [null];
        load();
      }},
    h('button', {type: 'button', class: 'sort'}, label, active ? (state.ascending ? ' ▲' : ' ▼') : ''));
  }

  function row(run, deployed) {
    const {run_id: id, run_name: name, status, start_time: start, end_time: end} = run.info;
    const metrics = Object.fromEntries((run.data?.metrics || []).map((m) => [m.key, m.value]));
    const params = Object.fromEntries((run.data?.params || []).map((p) => [p.key, p.value]));
    const statusText = runStatus(status);
    const isDeployed = params.model_name && params.model_version
      && String(deployed[params.model_name]) === String(params.model_version);
    const check = h('input', {type: 'checkbox', 'data-compare': id, 'aria-label': `compare ${name || id}`,
      checked: state.selected.has(id), onchange: (e) => {
        if (e.target.checked) state.selected.add(id); else state.selected.delete(id);
        updateCompare();
      }});
    const started = Number(start) || null;
    const ended = Number(end) || (status === 'RUNNING' ? Date.now() : null);
    return h('tr', {'data-run-id': id, class: `status-${statusText}`},
      h('td', {class: 'check'}, check),
      h('td', {'data-col': 'status', 'data-status': statusText}, badge(statusText)),
      h('td', {'data-col': 'name'}, h('a', {href: `#/runs/${encodeURIComponent(id)}`}, name || id),
        h('span', {class: 'run-id'}, id.slice(0, 8))),
      h('td', {'data-col': 'started'}, time(started)),
      h('td', {'data-col': 'duration'}, started && ended ? duration(ended - started) : '—'),
      // a regression run has no accuracy: its R² stands in, labelled
      h('td', {'data-col': 'accuracy', class: 'num'}, metrics.accuracy === undefined && metrics.r2 !== undefined
        ? `R² ${num(metrics.r2)}` : num(metrics.accuracy)),
      h('td', {'data-col': 'model-version'}, params.model_version
        ? `${params.model_name || ''} v${params.model_version}` : '—'),
      h('td', {'data-col': 'deployed', 'data-deployed': isDeployed ? 'true' : 'false'},
        isDeployed ? h('span', {class: 'badge ok'}, 'serving') : ''));
  }

  function noRuns() {
    if (state.filter || state.status || state.tokens.length > 1) {
      return empty('runs-empty', 'No run matches this filter.', h('p', {}, 'Try another filter or status.'));
    }
    return empty('runs-empty', 'No run yet.',
      h('p', {}, 'Start the default Titanic pipeline with ', h('a', {href: '#/runs/new'}, 'New run'),
        ', or ', h('code', {}, './mlops run'), ' on the command line.'));
  }

  function pagerControls(nextToken) {
    const pageNo = state.tokens.length;
    return [
      h('button', {type: 'button', class: 'secondary', 'data-testid': 'prev-page', disabled: pageNo === 1,
        onclick: () => { state.tokens.pop(); load(); }}, '← Previous'),
      h('span', {class: 'muted', 'data-testid': 'page-number'}, `page ${pageNo}`),
      h('button', {type: 'button', class: 'secondary', 'data-testid': 'next-page', disabled: !nextToken,
        onclick: () => { state.tokens.push(nextToken); load(); }}, 'Next →'),
    ];
  }

  load();
  return live(load, (type) => type === 'run' || type === 'stage');
}

/** model name -> the version whose run completed a deploy last (what serves now). */
async function deployedVersions() {
  try {
    const answer = await api.get('/models?max_results=100');
    return Object.fromEntries((answer.models || []).map((m) => [m.name, m.servingVersion]));
  } catch (err) {
    if (err.status === 401 || err.status === 0) throw err;
    return {};
  }
}
