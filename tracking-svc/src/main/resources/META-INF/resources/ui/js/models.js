// Models: every registered model, its versions with their run, metrics and aliases, and the version that serves now
// (its run completed a deploy last; a deploy also points production at it). Aliases can be set, moved and removed
// here: that changes the registry only, never what serves.
import {h, fill} from './h.js';
import {api} from './api.js';
import {live} from './events.js';
import {empty, errorBox, keepShown, loading, num, time} from './ui.js';

const DEFAULT_ALIAS = 'production';
const MAX_VERSIONS_WITH_METRICS = 30;

export function render(root) {
  const body = h('div', {}, loading('Loading the models…'));
  fill(root, h('header', {class: 'page-head'}, h('h1', {}, 'Models')), body);
  let loadId = 0;
  let shown = false;

  async function load() {
    const id = ++loadId;
    try {
      const models = await allModels();
      const sections = await Promise.all(models.map(modelSection));
      if (id !== loadId) return;
      shown = true;
      fill(body, sections.length ? sections : empty('models-empty', 'No registered model yet.',
        h('p', {}, 'A pipeline run registers its model in the train stage: ', h('a', {href: '#/runs/new'}, 'start one'), '.')));
    } catch (err) {
      if (id === loadId && !keepShown(err, shown)) fill(body, errorBox(err, load));
    }
  }

  async function modelSection(model) {
    const path = `/models/${encodeURIComponent(model.name)}`;
    const versions = (await api.get(`${path}/versions`)).versions.sort((a, b) => b.version - a.version);
    const metrics = await versionMetrics(versions.slice(0, MAX_VERSIONS_WITH_METRICS));
    const servingVersion = model.servingVersion;
    const error = h('p', {class: 'field-error', role: 'alert', 'data-testid': 'alias-error', hidden: true});

    const aliasVersion = h('select', {'data-testid': 'alias-version', id: `alias-version-${model.name}`},
      versions.map((v) => h('option', {value: v.version}, `version ${v.version}`)));
    const aliasName = h('input', {'data-testid': 'alias-name', id: `alias-name-${model.name}`, value: DEFAULT_ALIAS,
      required: true});
    const aliasForm = h('form', {class: 'alias-form', onsubmit: setAlias},
      h('label', {for: aliasName.id}, 'alias', aliasName),
      h('label', {for: aliasVersion.id}, 'points at', aliasVersion),
      h('button', {type: 'submit', 'data-testid': 'alias-set'}, 'Set alias'));

    async function setAlias(e) {
      e.preventDefault();
      await change(() => api.post(`${path}/aliases/${encodeURIComponent(aliasName.value.trim())}`,
        {version: Number(aliasVersion.value)}));
    }

    async function change(action) {
      error.hidden = true;
      try {
        await action();
        await load();
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    }

    const rows = versions.map((v) => {
      const m = metrics[v.runId] || {};
      const serving = String(v.version) === String(servingVersion);
      return h('tr', {'data-version': v.version, class: serving ? 'serving-row' : null},
        h('td', {}, h('b', {}, `v${v.version}`)),
        h('td', {}, v.runId ? h('a', {href: `#/runs/${encodeURIComponent(v.runId)}`}, v.runId.slice(0, 8)) : '—',
          v.attempt ? h('span', {class: 'muted'}, ` attempt ${v.attempt}`) : null),
        h('td', {}, time(v.createdAt)),
        h('td', {class: 'num'}, num(m.accuracy)),
        h('td', {class: 'num'}, num(m.f1_score)),
        h('td', {'data-testid': 'aliases'}, (v.aliases || []).sort().map((alias) => h('span', {class: 'alias-chip'},
          h('span', {class: 'badge alias', 'data-alias': alias}, alias),
          h('button', {type: 'button', class: 'link', 'aria-label': `remove alias ${alias}`, 'data-remove-alias': alias,
            onclick: () => change(() => api.del(`${path}/aliases/${encodeURIComponent(alias)}`))}, '×')))),
        h('td', {}, serving ? h('span', {class: 'badge ok', 'data-testid': 'serving'}, 'serving now') : null));
    });

    return h('section', {class: 'card model', 'data-model': model.name},
      h('div', {class: 'page-head'}, h('h2', {}, model.name),
        h('span', {class: 'muted'}, servingVersion ? `version ${servingVersion} serves` : 'no version serves')),
      model.description ? h('p', {class: 'muted'}, model.description) : null,
      h('table', {class: 'data versions'},
        h('thead', {}, h('tr', {}, ['version', 'run', 'created', 'accuracy', 'F1', 'aliases', ''].map((c) =>
          h('th', {scope: 'col', class: c === 'accuracy' || c === 'F1' ? 'num' : null}, c)))),
        h('tbody', {}, rows)),
      aliasForm, error);
  }

  load();
  return live(load, (type) => type === 'run');
}

async function allModels() {
  const models = [];
  let token = null;
  do {
    const page = await api.get(`/models?max_results=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
    models.push(...(page.models || []));
    token = page.next_page_token;
  } while (token && models.length < 1000);
  return models;
}

/** runId -> {metric: value}, from MLflow's runs/get (a version's run may be gone: then no metrics). */
async function versionMetrics(versions) {
  const ids = [...new Set(versions.map((v) => v.runId).filter(Boolean))];
  const entries = await Promise.all(ids.map(async (id) => {
    try {
      const run = (await api.mlflow(`runs/get?run_id=${encodeURIComponent(id)}`)).run;
      return [id, Object.fromEntries((run.data?.metrics || []).map((m) => [m.key, m.value]))];
    } catch {
      return [id, {}];
    }
  }));
  return Object.fromEntries(entries);
}
