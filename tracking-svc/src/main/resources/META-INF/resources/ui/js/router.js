// Hash routes -> page modules. A page's render(root, ...params) may return a function that stops its timers.
import * as signin from './signin.js';
import * as runs from './runs.js';
import * as newRun from './new-run.js';
import * as run from './run.js';
import * as compare from './compare.js';
import * as models from './models.js';
import * as notFound from './not-found.js';

const routes = [
  [/^\/signin$/, signin, null],
  [/^\/runs$/, runs, 'runs'],
  [/^\/runs\/new$/, newRun, 'new-run'],
  [/^\/runs\/([^/]+)$/, run, 'runs'],
  [/^\/compare\/([^/]+)$/, compare, 'runs'],
  [/^\/models$/, models, 'models'],
];

let stop = null;
let signedIn = false;
let afterSignIn = '#/runs';

export function setSignedIn(value) {
  signedIn = value;
  document.querySelector('.sidebar').hidden = !value;
}

export function startRouter() {
  window.addEventListener('hashchange', show);
  show();
}

/** After sign-in: back where the user wanted to go. */
export function continueAfterSignIn() {
  location.hash = afterSignIn;
}

function show() {
  const path = location.hash.replace(/^#/, '') || '/runs';
  if (!location.hash) {
    history.replaceState(null, '', '#/runs');
  }
  if (!signedIn && path !== '/signin') {
    afterSignIn = '#' + path;
    location.hash = '#/signin';
    return;
  }
  if (signedIn && path === '/signin') {
    location.hash = '#/runs';
    return;
  }
  let page = notFound;
  let params = [];
  let nav = null;
  for (const [pattern, module, navName] of routes) {
    const match = path.match(pattern);
    if (match) {
      page = module;
      params = match.slice(1).map(decodeURIComponent);
      nav = navName;
      break;
    }
  }
  if (stop) stop();
  stop = null;
  for (const link of document.querySelectorAll('.sidebar [data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === nav);
  }
  const main = document.getElementById('main');
  main.replaceChildren();
  const root = document.createElement('div');
  root.className = 'page';
  main.append(root);
  stop = page.render(root, ...params) || null;
}
