// Time per file: while someone is using the examination page, tell the server once a minute,
// so time spent reading between saves counts. Nothing is sent while the page is hidden or
// untouched since the last beat; the server joins beats less than ACTIVITY_IDLE_MINUTES
// apart into sittings (casefiles/activity.py). No stopwatch for the inspector to remember.
(function () {
  'use strict';
  var script = document.currentScript;
  var form = document.getElementById('examination-form');
  if (!script || !form || !window.fetch) return;
  var url = script.dataset.activityUrl;
  var csrf = form.querySelector('[name=csrfmiddlewaretoken]').value;
  var used = false;
  ['keydown', 'mousedown', 'mousemove', 'wheel', 'scroll', 'touchstart', 'input', 'focusin'].forEach(function (name) {
    window.addEventListener(name, function () { used = true; }, { passive: true, capture: true });
  });
  window.setInterval(function () {
    if (!used || document.visibilityState !== 'visible') return;
    used = false;
    var data = new FormData();
    data.append('csrfmiddlewaretoken', csrf);
    fetch(url, { method: 'POST', body: data, credentials: 'same-origin' }).catch(function () {});
  }, 60000);
})();
