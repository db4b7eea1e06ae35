// The run page's artifact browser: every artifact the stages recorded; text, CSV and JSON shown inline.
import {h, fill} from './h.js';
import {api, artifactUrl} from './api.js';
import {parseCsv} from './csv.js';

const BINARY = /\.(bin|ser|tar|gz|tgz|zip|jar|pkl|joblib|onnx|png|jpe?g|parquet|npy|model)$/i;
const MAX_INLINE = 512 * 1024;
const MAX_ROWS = 200;

export function artifactsSection() {
  const list = h('ul', {class: 'artifact-list'});
  const view = h('div', {class: 'artifact-view', 'data-testid': 'artifact-view'},
    h('p', {class: 'muted'}, 'Choose an artifact to see it here.'));
  const el = h('section', {class: 'card', 'data-testid': 'artifacts', 'aria-label': 'artifacts'},
    h('h2', {}, 'Artifacts'), h('div', {class: 'artifacts-layout'}, list, view));
  let shownKeys = null;
  let uri = null;

  function update(run, artifactUri) {
    uri = artifactUri;
    const paths = Object.keys(run.artifacts || {}).sort();
    const key = paths.join('\n') + '|' + artifactUri;
    if (key === shownKeys) return;
    shownKeys = key;
    if (!paths.length) {
      fill(list, h('li', {class: 'muted'}, 'No artifact yet.'));
      return;
    }
    fill(list, paths.map((path) => h('li', {},
      h('a', {href: uri ? artifactUrl(uri, path) : '#', 'data-artifact': path, onclick: (e) => {
        e.preventDefault();
        for (const a of list.querySelectorAll('a.current')) a.classList.remove('current');
        e.currentTarget.classList.add('current');
        show(path);
      }}, path))));
  }

  async function show(path) {
    if (!uri) {
      fill(view, h('p', {class: 'field-error'}, 'The run\'s artifact location is unknown.'));
      return;
    }
    const url = artifactUrl(uri, path);
    const download = h('a', {href: url, download: path.split('/').pop(), 'data-testid': 'artifact-download',
      class: 'button small'}, 'Download');
    const head = h('div', {class: 'page-head'}, h('code', {'data-testid': 'artifact-path'}, path), download);
    if (BINARY.test(path)) {
      fill(view, head, h('p', {class: 'muted'}, 'A binary file: download it to look inside.'));
      return;
    }
    fill(view, head, h('p', {class: 'loading'}, 'Loading…'));
    try {
      const text = await api.text(url);
      fill(view, head, content(path, text));
    } catch (err) {
      fill(view, head, h('p', {class: 'field-error'}, err.message));
    }
  }

  return {el, update};
}

function content(path, text) {
  if (text.length > MAX_INLINE) {
    return h('p', {class: 'muted'}, `${Math.round(text.length / 1024)} KiB: too large to show, download it.`);
  }
  if (/\.json$/i.test(path)) {
    try {
      return h('pre', {}, JSON.stringify(JSON.parse(text), null, 2));
    } catch {
      // not JSON after all: shown as text
    }
  }
  if (/\.csv$/i.test(path)) {
    const [header = [], ...rows] = parseCsv(text.trim());
    return h('div', {},
      h('table', {class: 'data'},
        h('thead', {}, h('tr', {}, header.map((c) => h('th', {}, c)))),
        h('tbody', {}, rows.slice(0, MAX_ROWS).map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))),
      rows.length > MAX_ROWS ? h('p', {class: 'muted'}, `first ${MAX_ROWS} of ${rows.length} rows`) : null);
  }
  return h('pre', {}, text);
}
