// The run page's image reference, serving URL and "try it" box (one record to the model via tracking-svc).
import {h, fill} from './h.js';
import {api} from './api.js';

const TITANIC_RECORD = {
  Pclass: 3, Sex: 'male', Age: 22, 'Siblings/Spouses Aboard': 1, 'Parents/Children Aboard': 0, Fare: 7.25,
};

export function servingSection(runId) {
  const image = h('div', {});
  const url = h('div', {});
  const input = h('textarea', {class: 'code', rows: 6, id: 'try-input', 'data-testid': 'try-input', spellcheck: 'false'});
  const send = h('button', {type: 'button', 'data-testid': 'try-send', onclick: trySend}, 'Send');
  const output = h('div', {class: 'try-output', 'data-testid': 'try-output', 'aria-live': 'polite'});
  const tryBox = h('div', {}, h('label', {for: 'try-input'}, 'Try it: one record in MLflow\'s scoring protocol'),
    input, h('div', {class: 'actions'}, send), output);
  const el = h('section', {class: 'card', 'aria-label': 'serving'}, h('h2', {}, 'Image and serving'),
    h('div', {class: 'grid2'}, h('div', {}, h('h3', {}, 'Image'), image, h('h3', {}, 'Serving URL'), url), tryBox));
  let prefilled = false;

  function update(run) {
    const ref = run.params?.image_ref;
    const noDeploy = run.spec?.deploy?.target === 'none';
    const kept = run.release?.decision === 'kept';
    fill(image, ref ? h('code', {'data-testid': 'image-ref'}, ref)
      : h('p', {class: 'muted', 'data-testid': 'image-ref'},
        noDeploy ? 'No image: this run ends after evaluate (deploy.target none).'
          : kept ? 'No image: the production model was kept (see above).' : 'No image built yet.'));
    fill(url, run.servingUrl ? h('code', {'data-testid': 'serving-url'}, run.servingUrl)
      : h('p', {class: 'muted', 'data-testid': 'serving-url'},
        noDeploy ? 'Not deployed (deploy.target none).' : kept ? 'Not deployed: production keeps serving.'
          : 'Not deployed.'));
    if (!prefilled) {
      prefilled = true;
      input.value = JSON.stringify({dataframe_records: [record(run.spec)]}, null, 2);
    }
    send.disabled = !run.servingUrl;
    send.title = run.servingUrl ? '' : 'the run has no serving URL';
  }

  async function trySend() {
    let body;
    try {
      body = JSON.parse(input.value);
    } catch (err) {
      fill(output, h('p', {class: 'field-error'}, `Not JSON: ${err.message}`));
      return;
    }
    send.disabled = true;
    fill(output, h('p', {class: 'loading'}, 'Asking the model…'));
    try {
      const answer = await api.post(`/pipelines/${encodeURIComponent(runId)}/invocations`, body);
      fill(output, h('pre', {'data-testid': 'try-prediction'}, JSON.stringify(answer, null, 2)));
    } catch (err) {
      fill(output, h('p', {class: 'field-error', role: 'alert'}, err.message));
    } finally {
      send.disabled = false;
    }
  }

  return {el, update};
}

/** A Titanic passenger, or a record with the spec's own features. */
function record(spec) {
  const features = spec?.features;
  const names = [...(features?.numeric || []), ...(features?.categorical || [])];
  if (!names.length || names.every((n) => n in TITANIC_RECORD)) {
    return names.length ? Object.fromEntries(names.map((n) => [n, TITANIC_RECORD[n]])) : TITANIC_RECORD;
  }
  return Object.fromEntries(names.map((n) => [n, n in TITANIC_RECORD ? TITANIC_RECORD[n] : null]));
}
