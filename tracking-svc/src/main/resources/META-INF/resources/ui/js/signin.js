import {h, fill} from './h.js';
import {session} from './api.js';
import {startEvents} from './events.js';
import {continueAfterSignIn, setSignedIn} from './router.js';

export function render(root) {
  const error = h('p', {class: 'field-error', 'data-testid': 'signin-error', role: 'alert', hidden: true});
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'current-password',
    required: true});
  const button = h('button', {type: 'submit'}, 'Sign in');
  const form = h('form', {class: 'signin card', 'data-testid': 'signin', onsubmit: submit},
    h('h1', {}, 'mlops'),
    h('p', {class: 'muted'}, 'Sign in with the platform token (', h('code', {}, './mlops token'), ' prints it).'),
    // a username field lets password managers file the token
    h('input', {type: 'text', name: 'username', autocomplete: 'username', value: 'mlops', hidden: true, 'aria-hidden': 'true'}),
    h('label', {for: 'token'}, 'Token'), input, error, button);
  fill(root, h('div', {class: 'signin-page'}, form));
  input.focus();

  async function submit(e) {
    e.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      await session.signIn(input.value.trim());
      input.value = '';
      setSignedIn(true);
      startEvents();
      continueAfterSignIn();
    } catch (err) {
      error.textContent = err.status === 401 ? 'That token is not the platform token.' : err.message;
      error.hidden = false;
      input.select();
    } finally {
      button.disabled = false;
    }
  }
}
