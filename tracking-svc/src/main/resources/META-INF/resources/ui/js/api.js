// Every request of the UI: same-origin fetch (the session cookie goes along), the CSRF header on state changes,
// errors as ApiError, the offline banner while tracking-svc does not answer, and sign-in when the session ends.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error_code || null;
    this.field = body?.field || null;
  }
}

export const session = {
  /** True when a session exists (or the API runs without auth); keeps the CSRF token in memory only. */
  async check() {
    const res = await raw('GET', '/ui/session');
    if (res.ok) {
      csrfToken = (await res.json()).csrfToken || null;
      return true;
    }
    return res.status === 404; // no session endpoint: an open API (MLOPS_API_AUTH=none)
  },

  async signIn(token) {
    const res = await raw('POST', '/ui/session', new URLSearchParams({token}), {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    const body = await readBody(res);
    if (!res.ok) throw new ApiError(res.status, body);
    csrfToken = body.csrfToken;
    return body;
  },

  async signOut() {
    await raw('DELETE', '/ui/session');
    csrfToken = null;
  },
};

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body),
  /** POSTs JSON exactly as the user wrote it, so the server's message names its line and column. */
  postText: (path, text) => request('POST', path, text, true),
  del: (path) => request('DELETE', path),
  /** The MLflow API as MLflow's own UI calls it. */
  mlflow: (endpoint, body) => request(body === undefined ? 'GET' : 'POST', `/ajax-api/2.0/mlflow/${endpoint}`, body),
  text: async (path) => {
    const res = await raw('GET', path);
    if (!res.ok) throw new ApiError(res.status, await readBody(res));
    return res.text();
  },
};

/** URL of a run's artifact through MLflow's artifact proxy; artifactUri is mlflow-artifacts:/<exp>/<run>/artifacts. */
export function artifactUrl(artifactUri, path) {
  const base = artifactUri.replace(/^mlflow-artifacts:\//, '');
  return `/ajax-api/2.0/mlflow-artifacts/artifacts/${base}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function request(method, path, body, asText = false) {
  const res = await raw(method, path, body === undefined || asText ? body : JSON.stringify(body),
    body === undefined ? {} : {'Content-Type': 'application/json'});
  const parsed = await readBody(res);
  if (res.status === 401) {
    csrfToken = null;
    window.dispatchEvent(new CustomEvent('mlops:signed-out'));
  }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

async function raw(method, path, body, headers = {}) {
  const all = {Accept: 'application/json', ...headers};
  if (method !== 'GET' && csrfToken) all['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {method, body, headers: all, credentials: 'same-origin'});
  } catch (e) {
    offline(true);
    throw new ApiError(0, {error_code: 'UNAVAILABLE', message: 'tracking-svc does not answer'});
  }
  // 502 is not here: /pipelines/{id}/invocations answers it when a run's model is gone, with tracking-svc up
  offline(res.status === 503 || res.status === 504);
  return res;
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return {message: text.slice(0, 500)};
  }
}

function offline(on) {
  const banner = document.querySelector('[data-testid=offline-banner]');
  if (banner) banner.hidden = !on;
}
