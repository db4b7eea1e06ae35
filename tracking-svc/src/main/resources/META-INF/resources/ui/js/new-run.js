// New run: the pipeline spec as editable JSON, prefilled with the defaults; the server's validation error is shown
// next to the editor, naming the field; on 202 the new run's page.
import {h, fill} from './h.js';
import {api} from './api.js';
import {loading} from './ui.js';

export function render(root) {
  const editor = h('textarea', {id: 'spec-editor', class: 'code', 'data-testid': 'spec-editor', spellcheck: 'false',
    'aria-describedby': 'spec-errors spec-hint', rows: 28});
  const errors = h('div', {id: 'spec-errors', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', 'data-testid': 'submit-run'}, 'Start the run');
  const reset = h('button', {type: 'button', class: 'secondary', onclick: prefill}, 'Reset to the defaults');
  const form = h('form', {class: 'spec-form card', onsubmit: start},
    h('label', {for: 'spec-editor'}, 'Pipeline spec (JSON)'),
    h('p', {id: 'spec-hint', class: 'hint'}, 'Every field is optional: ', h('code', {}, '{}'),
      ' is the default Titanic pipeline. dataset.uri takes http(s)://, file:/absolute/path and s3://bucket/key; ',
      'deploy.target is local, container, kubernetes or none.'),
    editor, errors, h('div', {class: 'actions'}, submit, reset));
  fill(root, h('header', {class: 'page-head'}, h('h1', {}, 'New run')), form);
  prefill();

  async function prefill() {
    clearErrors();
    editor.disabled = true;
    editor.value = 'Loading the default spec…';
    try {
      editor.value = JSON.stringify(await api.get('/pipelines/defaults'), null, 2);
    } catch (err) {
      editor.value = '{}';
      fill(errors, h('p', {class: 'muted'}, `The default spec did not load (${err.message}); {} starts the default pipeline.`));
    } finally {
      editor.disabled = false;
    }
  }

  async function start(e) {
    e.preventDefault();
    clearErrors();
    submit.disabled = true;
    fill(errors, loading('Starting…'));
    try {
      const started = await api.postText('/pipelines', editor.value);
      location.hash = `#/runs/${encodeURIComponent(started.runId)}`;
    } catch (err) {
      fill(errors);
      if (err.field) {
        errors.append(h('p', {class: 'field-error', role: 'alert', 'data-testid': 'field-error', 'data-field': err.field},
          h('span', {class: 'field'}, err.field), ': ', err.message));
        markField(err.field);
      } else {
        errors.append(h('p', {class: 'field-error', role: 'alert', 'data-testid': 'form-error'}, err.message));
      }
      editor.setAttribute('aria-invalid', 'true');
      submit.disabled = false;
    }
  }

  function clearErrors() {
    fill(errors);
    editor.removeAttribute('aria-invalid');
  }

  /** Selects the line of the field's last key in the editor, so the user sees where it is. */
  function markField(field) {
    const key = `"${field.split('.').pop()}"`;
    const at = editor.value.indexOf(key);
    if (at < 0) return;
    const end = editor.value.indexOf('\n', at);
    editor.focus();
    editor.setSelectionRange(editor.value.lastIndexOf('\n', at) + 1, end < 0 ? editor.value.length : end);
  }
}
