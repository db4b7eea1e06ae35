// The live feed: one EventSource on /ui/events for the whole page; pages subscribe while they are shown.

const listeners = new Set();
let source = null;
let reopen = null;

export function startEvents() {
  if (source) return;
  source = new EventSource('/ui/events');
  for (const type of ['stage', 'run']) {
    source.addEventListener(type, (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      for (const fn of listeners) fn(type, data);
    });
  }
  source.addEventListener('open', () => setLive(true));
  source.addEventListener('error', () => {
    setLive(false);
    // the browser reconnects by itself unless the answer was not an event stream (e.g. 401): then retry later
    if (source.readyState === EventSource.CLOSED) {
      source = null;
      clearTimeout(reopen);
      reopen = setTimeout(startEvents, 5000);
    }
  });
}

export function stopEvents() {
  clearTimeout(reopen);
  source?.close();
  source = null;
  setLive(false);
}

/**
 * Calls refresh when an event concerns the page (at most every 300 ms) and every 10 s as a fallback.
 * concerns(type, data) -> boolean. Returns the function that stops it.
 */
export function live(refresh, concerns = () => true) {
  let timer = null;
  const listener = (type, data) => {
    // at most one refresh per 300 ms: a burst of events (a grid search's progress) still refreshes while it lasts
    if (!concerns(type, data) || timer) return;
    timer = setTimeout(() => {
      timer = null;
      refresh();
    }, 300);
  };
  listeners.add(listener);
  const fallback = setInterval(refresh, 10000);
  return () => {
    listeners.delete(listener);
    clearTimeout(timer);
    clearInterval(fallback);
  };
}

function setLive(on) {
  document.querySelector('[data-testid=live]')?.classList.toggle('on', on);
}
