// Run: status (error first when FAILED), the live stage graph, params/metrics/tags, the grid search chart,
// the evaluation, the artifacts, the image and the serving URL with a "try it" box.
import {h, fill} from './h.js';
import {api} from './api.js';
import {live} from './events.js';
import {badge, duration, errorBox, keyValueTable, loading, num, time} from './ui.js';
import {render as notFound} from './not-found.js';
import {gridSection} from './run-grid.js';
import {evaluationSection} from './run-evaluation.js';
import {artifactsSection} from './run-artifacts.js';
import {servingSection} from './run-serving.js';
import {renderMlflowRun} from './mlflow-run.js';

export function render(root, runId) {
  const head = h('div', {}, loading('Loading the run…'));
  const failure = h('div', {});
  const release = h('div', {});
  const stages = h('section', {class: 'card', 'aria-label': 'stages'});
  const summary = h('div', {class: 'tiles', 'data-testid': 'run-summary'});
  const details = h('div', {class: 'grid3'});
  const grid = gridSection(runId);
  const evaluation = evaluationSection();
  const artifacts = artifactsSection();
  const serving = servingSection(runId);
  const actionError = h('p', {class: 'field-error', 'data-testid': 'retry-error', role: 'alert', hidden: true});
  let shown = false;
  let artifactUri = null;

  fill(root, head);

  async function load() {
    let run;
    try {
      run = await api.get(`/pipelines/${encodeURIComponent(runId)}`);
    } catch (err) {
      // 404: no run; INVALID_STATE: a run of the MLflow API, no pipeline run
      if (err.status === 404 || err.code === 'INVALID_STATE') {
        stop();
        const mlflowRun = await findMlflowRun(runId);
        if (mlflowRun) renderMlflowRun(root, mlflowRun);
        else notFound(root, `There is no run ${runId}.`);
      } else if (!shown) {
        fill(head, errorBox(err, load));
      }
      return;
    }
    if (!artifactUri) artifactUri = await findArtifactUri(runId);
    if (!shown) {
      shown = true;
      fill(root, head, failure, release, stages, actionError, summary, grid.el, evaluation.el, serving.el, details, artifacts.el);
    }
    fill(head, header(run));
    fill(failure, run.status === 'FAILED' ? failureBox(run) : run.status === 'KILLED' ? stoppedBox(run) : null);
    fill(release, run.release ? releaseBox(run.release) : null);
    fill(stages, h('h2', {}, 'Stages'), stageGraph(run));
    fill(summary, tiles(run));
    fill(details,
      h('section', {class: 'card'}, h('h2', {}, 'Metrics'), keyValueTable('metrics', run.metrics, (v) => num(v, 6))),
      h('section', {class: 'card'}, h('h2', {}, 'Params'), keyValueTable('params', run.params)),
      h('section', {class: 'card'}, h('h2', {}, 'Tags'), keyValueTable('tags', run.tags)));
    grid.update(run, artifactUri);
    evaluation.update(run, artifactUri);
    artifacts.update(run, artifactUri);
    serving.update(run);
  }

  function stageGraph(run) {
    const nodes = [];
    run.stages.forEach((stage, i) => {
      if (i > 0) nodes.push(h('div', {class: 'arrow', 'aria-hidden': 'true'}));
      nodes.push(stageNode(run, stage));
    });
    return h('div', {class: 'stages', 'data-testid': 'stage-graph'}, nodes);
  }

  function stageNode(run, stage) {
    const p = stage.progress;
    const running = ['RUNNING', 'STARTED', 'PROGRESS'].includes(stage.status);
    return h('div', {class: 'stage', 'data-stage': stage.stage, 'data-status': stage.status},
      h('div', {class: 'name'}, stage.stage),
      h('div', {class: 'meta'},
        badge(stage.status, {'data-testid': 'stage-status'}),
        stage.attempt ? h('span', {'data-testid': 'stage-attempt'}, `attempt ${stage.attempt}`) : null,
        stage.durationMs !== null && stage.durationMs !== undefined
          ? h('span', {'data-testid': 'stage-duration'}, duration(stage.durationMs)) : null),
      p ? h('div', {class: 'meta'}, h('span', {'data-testid': 'stage-progress'}, `${p.done}/${p.total}`),
        h('span', {}, running ? 'candidates' : 'candidates scored')) : null,
      p ? progressBar(p) : null,
      stage.error ? h('div', {'data-testid': 'stage-error', title: stage.error}, stage.error) : null,
      (run.status === 'FAILED' || run.status === 'KILLED') && stage.status !== 'PENDING'
        ? h('button', {type: 'button', class: stage.status === 'FAILED' ? 'small' : 'small secondary',
          'data-retry': stage.stage, onclick: (e) => retry(stage.stage, e.target)}, `Retry from ${stage.stage}`)
        : null);
  }

  async function retry(stage, button) {
    button.disabled = true;
    actionError.hidden = true;
    try {
      await api.post(`/pipelines/${encodeURIComponent(runId)}/retry?from=${encodeURIComponent(stage)}`);
      await load();
    } catch (err) {
      actionError.textContent = `Retry from ${stage}: ${err.message}`;
      actionError.hidden = false;
      button.disabled = false;
    }
  }

  const stop = live(load, (type, data) => data.runId === runId);
  load();
  return stop;
}

function header(run) {
  const spec = run.spec || {};
  return h('div', {},
    h('header', {class: 'page-head'},
      h('div', {class: 'title'},
        h('h1', {}, run.name || run.runId),
        badge(run.status, {'data-testid': 'run-status', class: 'big'})),
      h('div', {class: 'actions'},
        h('a', {class: 'button', href: `#/compare/${encodeURIComponent(run.runId)}`, 'data-testid': 'compare-run'}, 'Compare…'))),
    h('div', {class: 'facts'},
      h('span', {}, 'run ', h('b', {'data-testid': 'run-id'}, run.runId)),
      h('span', {}, 'started ', h('b', {}, time(run.createdAt))),
      h('span', {}, 'duration ', h('b', {'data-testid': 'run-duration'},
        run.durationMs !== null && run.durationMs !== undefined ? duration(run.durationMs)
          : duration(Date.now() - new Date(run.createdAt)))),
      spec.model?.name ? h('span', {}, 'model ', h('b', {}, spec.model.name)) : null,
      spec.deploy?.target ? h('span', {}, 'deploy ', h('b', {}, spec.deploy.target)) : null));
}

// classification runs have accuracy and F1, regression runs R², RMSE and MAE: each tile shows when its metric exists
const TILES = [['accuracy', 'accuracy'], ['production_accuracy', 'production accuracy'], ['f1_score', 'F1'],
  ['r2', 'R²'], ['production_r2', 'production R²'], ['rmse', 'RMSE'], ['mae', 'MAE'],
  ['best_cv_score', 'best CV score']];

function tiles(run) {
  const m = run.metrics || {};
  const p = run.params || {};
  return [
    ...TILES.filter(([key]) => key in m).map(([key, label]) => tile(label, num(m[key], 4), key)),
    p.model_version ? tile('model version', `${p.model_name || ''} v${p.model_version}`, 'model-version') : null,
    p.deploy_target ? tile('deployed to', p.deploy_target, 'deploy-target') : null,
  ];
}

function tile(label, value, key) {
  return h('div', {class: 'tile', 'data-tile': key}, h('span', {class: 'tile-label'}, label), h('b', {}, value));
}

function failureBox(run) {
  const failed = run.stages.find((s) => s.status === 'FAILED');
  return h('div', {class: 'error-box run-error', role: 'alert', 'data-testid': 'run-error'},
    h('strong', {}, failed ? `The ${failed.stage} stage failed (attempt ${failed.attempt})` : 'The run failed'),
    h('pre', {}, run.error || failed?.error || 'no error message was recorded'),
    h('p', {class: 'muted'}, 'Fix the cause, then retry from the failed stage below.'));
}

function stoppedBox(run) {
  return h('div', {class: 'error-box run-error', role: 'alert', 'data-testid': 'run-error'},
    h('strong', {}, 'The run was stopped'),
    h('pre', {}, run.error || 'stopped'),
    h('p', {class: 'muted'}, 'No later stage started; retry from a stage below to run it again.'));
}

/** gate.mustBeatProduction's decision: kept (production stays, nothing built or deployed) or released. */
function releaseBox(release) {
  const kept = release.decision === 'kept';
  return h('div', {class: `release-box ${kept ? 'kept' : 'released'}`, role: 'status', 'data-testid': 'run-release',
    'data-decision': release.decision},
    h('strong', {}, kept ? 'Not released: production stays' : 'Released'),
    h('p', {'data-testid': 'release-message'}, release.message || ''),
    kept ? h('p', {class: 'muted'}, 'This run\'s model was not built into an image or deployed;'
      + (release.productionVersion ? ` version ${release.productionVersion} keeps serving.` : ' production keeps serving.'))
      : null);
}

function progressBar(p) {
  const bar = h('span', {});
  bar.style.width = `${p.total ? Math.min(100, (100 * p.done) / p.total) : 0}%`;
  return h('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': p.total,
    'aria-valuenow': p.done}, bar);
}

/** MLflow's view of the run (runs/get), or null. */
async function findMlflowRun(runId) {
  try {
    return (await api.mlflow(`runs/get?run_id=${encodeURIComponent(runId)}`)).run || null;
  } catch {
    return null;
  }
}

/** mlflow-artifacts:/<exp>/<run>/artifacts, where the artifact proxy serves the run's artifacts. */
async function findArtifactUri(runId) {
  return (await findMlflowRun(runId))?.info?.artifact_uri || null;
}

