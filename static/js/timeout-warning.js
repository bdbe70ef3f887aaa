// GOV.UK-style time-out warning: a few minutes before the idle limit a modal dialog says
// when the person will be signed out, with "Stay signed in" (which restarts the server's
// idle clock) and "Sign out". Any request this page makes (autosaves included) restarts
// the countdown, as it restarts the server's. Answers not yet sent stay in localStorage.
(function () {
  'use strict';
  var dialog = document.getElementById('timeout-warning');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  var idle = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  var warnBefore = parseInt(dialog.dataset.warningSeconds, 10) * 1000;
  var keepAliveUrl = dialog.dataset.keepAliveUrl;
  var countdown = dialog.querySelector('[data-countdown]');
  var spoken = dialog.querySelector('[data-countdown-spoken]');
  var stay = dialog.querySelector('[data-stay]');
  var deadline, warnTimer, tick;

  function token() {
    var field = document.querySelector('#logout-form [name=csrfmiddlewaretoken]');
    return field ? field.value : '';
  }
  function words(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) { var m = Math.ceil(seconds / 60); return m + (m === 1 ? ' minute' : ' minutes'); }
    return seconds + (seconds === 1 ? ' second' : ' seconds');
  }
  function update() {
    var left = deadline - Date.now();
    if (left <= 0) { window.location.reload(); return; }  // the server signs out and says why
    countdown.textContent = words(left);
    var spokenText = 'We will sign you out in ' + words(Math.ceil(left / 15000) * 15000) + '.';
    if (spoken.textContent !== spokenText) spoken.textContent = spokenText;  // at most every 15 s
  }
  function warn() {
    update();
    if (!dialog.open) dialog.showModal();
    stay.focus();
    tick = window.setInterval(update, 1000);
  }
  function restart() {
    deadline = Date.now() + idle;
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    if (dialog.open) dialog.close();
    warnTimer = window.setTimeout(warn, Math.max(0, idle - warnBefore));
  }
  var realFetch = window.fetch;
  if (realFetch) {
    window.fetch = function () {
      return realFetch.apply(this, arguments).then(function (response) {
        if (response.ok || response.status === 400 || response.status === 409) restart();
        return response;
      });
    };
  }
  stay.addEventListener('click', function () {
    realFetch(keepAliveUrl, {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: { 'X-CSRFToken': token(), 'Accept': 'application/json' }
    }).then(function (response) {
      if (response.ok) restart(); else window.location.reload();
    }).catch(function () { /* offline: the dialog stays and says when */ });
  });
  dialog.addEventListener('cancel', function (event) { event.preventDefault(); stay.click(); });  // Esc = stay
  restart();
})();
