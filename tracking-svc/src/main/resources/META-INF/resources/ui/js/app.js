// Entry point: finds out whether a session exists, wires the nav and starts the router.
import {session} from './api.js';
import {startEvents, stopEvents} from './events.js';
import {setSignedIn, startRouter} from './router.js';

async function main() {
  let signedIn = false;
  try {
    signedIn = await session.check();
  } catch {
    // tracking-svc down: the banner says so; sign-in shows its own error
  }
  setSignedIn(signedIn);
  if (signedIn) startEvents();

  document.querySelector('[data-testid=signout]').addEventListener('click', async () => {
    try {
      await session.signOut();
    } finally {
      signedOut();
    }
  });
  window.addEventListener('mlops:signed-out', signedOut);
  startRouter();
}

function signedOut() {
  stopEvents();
  setSignedIn(false);
  location.hash = '#/signin';
}

main();
