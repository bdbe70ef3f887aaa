// The examination page, enhanced: answers save as they are made, questions appear and
// disappear with earlier answers, and an answer made while the connection is down is
// kept in this browser (localStorage) and sent when it returns. Without this script the
// page is a plain form that posts every answer at once.
(function () {
  'use strict';
  var form = document.getElementById('examination-form');
  if (!form || !window.fetch) return;
  var editable = form.hasAttribute('data-editable');

  var attributes = JSON.parse(document.getElementById('case-attributes').textContent);
  var saveUrl = form.dataset.saveUrl;
  var csrf = form.querySelector('[name=csrfmiddlewaretoken]').value;
  var storeKey = 'cfe:' + form.dataset.user + ':pending:' + form.dataset.examination;
  var statusEl = document.getElementById('save-status');
  var blocks = Array.prototype.slice.call(form.querySelectorAll('.app-question'));
  var byCode = {};
  blocks.forEach(function (b) { byCode[b.dataset.code] = b; });
  var pending = load();
  var sending = false;
  var timers = {};

  var panel = document.querySelector('[data-progress-panel]');
  var nextLink = panel.querySelector('[data-next-incomplete]');
  var currentEl = panel.querySelector('[data-current-section]');
  var narrow = window.matchMedia('(max-width: 40.0525em)');

  form.classList.add('app-autosave');
  var noJsActions = form.querySelector('.app-sticky-actions');
  if (noJsActions && editable) noJsActions.hidden = true;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function persist() {
    try {
      if (Object.keys(pending).length) localStorage.setItem(storeKey, JSON.stringify(pending));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* storage full or disabled: answers still go to the server */ }
  }

  function inputs(code) { return form.querySelectorAll('[name="q-' + code + '"]'); }
  function readValues(code) {
    var out = [];
    Array.prototype.forEach.call(inputs(code), function (el) {
      if ((el.type === 'radio' || el.type === 'checkbox')) { if (el.checked) out.push(el.value); }
      else if (el.value.trim() !== '') out.push(el.value.trim());
    });
    return out;
  }
  function writeValues(code, values) {
    Array.prototype.forEach.call(inputs(code), function (el) {
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = values.indexOf(el.value) !== -1;
      else el.value = values[0] || '';
    });
  }
  function comment(code) { return form.querySelector('[name="c-' + code + '"]'); }
  function version(code) { return form.querySelector('[name="v-' + code + '"]'); }

  // The same rule as questionset/rules.py: every condition must hold.
  function applies(rule, answers) {
    return Object.keys(rule).every(function (key) {
      if (key === 'answers') {
        return Object.keys(rule.answers).every(function (code) {
          var given = (answers[code] || '').split('|');
          return rule.answers[code].some(function (c) { return given.indexOf(c) !== -1; });
        });
      }
      return rule[key].indexOf(attributes[key] || '') !== -1;
    });
  }
  // A comment is needed for some answers (the question set's comment_required_for).
  function commentMissing(b, values) {
    var needing = (b.dataset.commentFor || '').split(' ');
    var needed = values.some(function (v) { return needing.indexOf(v) !== -1; });
    return needed && comment(b.dataset.code).value.trim() === '';
  }
  function isComplete(b) {
    var values = readValues(b.dataset.code);
    return values.length > 0 && !commentMissing(b, values) && !b.classList.contains('govuk-form-group--error');
  }
  // Where "go to the next unanswered question" sends focus: the comment when only it is missing.
  function target(b) {
    var values = readValues(b.dataset.code);
    if (values.length && commentMissing(b, values)) return comment(b.dataset.code);
    return b.querySelector('input:not([type=hidden]), textarea, select');
  }
  function refresh() {
    var effective = {};
    var counts = {};
    var total = [0, 0];
    var firstIncomplete = null;
    blocks.forEach(function (b) {
      var code = b.dataset.code;
      var ok = applies(JSON.parse(b.dataset.rule), effective);
      b.hidden = !ok;
      var section = b.closest('[data-section]').dataset.section;
      counts[section] = counts[section] || [0, 0];
      var values = readValues(code);
      var needed = b.querySelector('[data-comment-needed]');
      if (needed) needed.hidden = !commentMissing(b, values);
      if (ok) {
        effective[code] = values.join('|');
        counts[section][1] += 1;
        total[1] += 1;
        if (isComplete(b)) { counts[section][0] += 1; total[0] += 1; }
        else if (!firstIncomplete) firstIncomplete = b;
      }
    });
    panel.querySelector('[data-overall-count]').textContent = total[0] + ' of ' + total[1];
    nextLink.hidden = !firstIncomplete;
    if (firstIncomplete) nextLink.setAttribute('href', '#' + target(firstIncomplete).id);
    Object.keys(counts).forEach(function (s) {
      var el = document.querySelector('[data-section-count="' + s + '"]');
      if (el) {
        el.textContent = counts[s][0] + ' of ' + counts[s][1] + ' answered';
        el.classList.toggle('app-section-count--complete', counts[s][1] > 0 && counts[s][0] === counts[s][1]);
      }
      // A section none of whose questions apply (e.g. NFA decisions on a charged file) is hidden.
      var empty = counts[s][1] === 0;
      document.querySelector('[data-section="' + s + '"]').hidden = empty;
      var nav = document.querySelector('[data-section-nav="' + s + '"]');
      if (nav) nav.hidden = empty;
    });
  }

  function setState(code, text, kind) {
    var el = byCode[code].querySelector('[data-save-state]');
    el.textContent = text;
    el.className = 'govuk-body-s app-save-state' + (kind ? ' app-save-state--' + kind : '');
  }
  function setStatus(text) { statusEl.textContent = text; }
  function summarise() {
    var n = Object.keys(pending).length;
    if (!n) setStatus('All changes saved.');
    else if (!navigator.onLine) setStatus('Offline: ' + n + ' unsaved answer' + (n > 1 ? 's are' : ' is') + ' kept on this device and will be sent when you are back online.');
    else setStatus('Saving ' + n + ' answer' + (n > 1 ? 's' : '') + '…');
  }

  function queue(code) {
    pending[code] = { values: readValues(code), comment: comment(code).value, version: version(code).value };
    persist();
    setState(code, 'Not saved yet', 'pending');
    summarise();
    flush();
  }

  function body(code, item) {
    var data = new FormData();
    data.append('csrfmiddlewaretoken', csrf);
    data.append('v-' + code, item.version);
    item.values.forEach(function (v) { data.append('q-' + code, v); });
    data.append('c-' + code, item.comment);
    return data;
  }

  function flush() {
    if (sending) return;
    var codes = Object.keys(pending);
    if (!codes.length) { summarise(); return; }
    var code = codes[0];
    var item = pending[code];
    sending = true;
    fetch(saveUrl.replace('CODE', encodeURIComponent(code)), {
      method: 'POST', body: body(code, item), credentials: 'same-origin', redirect: 'manual',
      headers: { 'Accept': 'application/json', 'X-Requested-With': 'fetch' }
    }).then(function (response) {
      if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
        setState(code, 'Your sign-in has ended: sign in again in another tab; this answer is kept on this device.', 'error');
        throw new Error('signed-out');
      }
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }).then(function (result) {
      var same = JSON.stringify(pending[code]) === JSON.stringify(item);
      if (result.status === 200) {
        if (same) delete pending[code]; else pending[code].version = String(result.json.version);
        version(code).value = result.json.version;
        var at = new Date(result.json.saved_at);
        setState(code, 'Saved at ' + at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }), 'saved');
      } else if (result.status === 409) {
        delete pending[code];
        showConflict(code, item, result.json.stored);
      } else {
        delete pending[code];
        setState(code, result.json.error || 'Not saved.', 'error');
      }
      persist();
      sending = false;
      summarise();
      flush();
    }).catch(function () {
      sending = false;
      summarise();
    });
  }

  function showConflict(code, mine, stored) {
    var box = byCode[code].querySelector('[data-conflict]');
    box.hidden = false;
    box.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'govuk-body';
    p.textContent = stored.by + ' saved a different answer: “' + stored.label + '”' +
      (stored.comment ? ' with the comment “' + stored.comment + '”' : '') +
      '. Your answer is still selected below and has not been saved.';
    var keep = button('Keep my answer', function () {
      version(code).value = stored.version;
      box.hidden = true;
      queue(code);
    });
    var theirs = button('Use their answer', function () {
      writeValues(code, stored.value ? stored.value.split('|') : []);
      comment(code).value = stored.comment;
      version(code).value = stored.version;
      box.hidden = true;
      setState(code, 'Their answer is kept.', 'saved');
      refresh();
    });
    box.appendChild(p);
    box.appendChild(keep);
    box.appendChild(document.createTextNode(' '));
    box.appendChild(theirs);
    byCode[code].classList.add('govuk-form-group--error');
    setState(code, 'Changed elsewhere: choose which answer to keep.', 'error');
    keep.focus();
  }
  function button(text, onclick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2';
    b.textContent = text;
    b.addEventListener('click', function () {
      byCode[this.closest('.app-question').dataset.code].classList.remove('govuk-form-group--error');
      onclick();
    });
    return b;
  }

  // The section in view: the last one whose heading is above the upper third of the screen.
  var sections = Array.prototype.slice.call(form.querySelectorAll('[data-section]'));
  var current = null;
  function markCurrent() {
    var line = narrow.matches ? panel.parentNode.getBoundingClientRect().bottom + 20 : window.innerHeight / 3;
    var found = null;
    sections.forEach(function (s) { if (!s.hidden && s.getBoundingClientRect().top <= line) found = s; });
    if (!found) found = sections.filter(function (s) { return !s.hidden; })[0];
    if (!found || found === current) return;
    current = found;
    Array.prototype.forEach.call(panel.querySelectorAll('[data-section-nav]'), function (li) {
      if (li.dataset.sectionNav === found.dataset.section) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    currentEl.hidden = false;
    currentEl.textContent = 'You are in: ' + found.querySelector('h2').textContent;
  }
  var ticking = false;
  window.addEventListener('scroll', function () {
    if (ticking) return;
    ticking = true;
    window.requestAnimationFrame(function () { ticking = false; markCurrent(); });
  }, { passive: true });

  function goTo(block) {
    var el = target(block);
    block.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
    markCurrent();
  }
  // One action to the next question still to do, after the one in view (wrapping round).
  nextLink.addEventListener('click', function (event) {
    var open = blocks.filter(function (b) { return !b.hidden && !isComplete(b); });
    if (!open.length) return;
    event.preventDefault();
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.app-question');
    var after = open.filter(function (b) {
      if (focused) return b.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_PRECEDING;
      return b.getBoundingClientRect().top > 40;
    });
    goTo(after[0] || open[0]);
  });

  if (narrow.matches) panel.querySelector('[data-sections-details]').open = false;
  narrow.addEventListener('change', function () { panel.querySelector('[data-sections-details]').open = !narrow.matches; });
  // Collapse the section list on a narrow screen once a section is picked.
  panel.addEventListener('click', function (event) {
    if (narrow.matches && event.target.closest('[data-section-nav] a')) panel.querySelector('[data-sections-details]').open = false;
  });

  if (!editable) { refresh(); markCurrent(); return; }

  form.addEventListener('change', function (event) {
    var block = event.target.closest('.app-question');
    if (!block) return;
    if (!block.querySelector('[data-conflict]:not([hidden])')) block.classList.remove('govuk-form-group--error');
    refresh();
    queue(block.dataset.code);
  });
  form.addEventListener('input', function (event) {
    if (event.target.type !== 'text' && event.target.tagName !== 'TEXTAREA') return;
    if (event.target.name.indexOf('c-') === 0) refresh();
    var code = event.target.closest('.app-question').dataset.code;
    clearTimeout(timers[code]);
    timers[code] = setTimeout(function () { refresh(); queue(code); }, 1200);
  });

  // Answers kept from an earlier visit (the connection dropped, the tab was closed).
  Object.keys(pending).forEach(function (code) {
    if (!byCode[code]) { delete pending[code]; return; }
    writeValues(code, pending[code].values);
    comment(code).value = pending[code].comment;
    setState(code, 'Kept on this device: sending…', 'pending');
  });
  persist();
  refresh();
  summarise();
  flush();
  // Reopening a file goes to where the inspector left off: the first question still to do.
  var hasProblems = document.querySelector('.govuk-error-summary');
  var started = blocks.some(function (b) { return !b.hidden && readValues(b.dataset.code).length; });
  var linked = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (linked && linked.closest('.app-question') && !hasProblems) {
    // A change link from "check your answers": the question at the top, focus in its input.
    linked.closest('.app-question').scrollIntoView({ block: 'start' });
    linked.focus({ preventScroll: true });
  } else if (!window.location.hash && !hasProblems && started) {
    var resume = blocks.filter(function (b) { return !b.hidden && !isComplete(b); })[0];
    if (resume) resume.scrollIntoView({ block: 'start' });
  }
  markCurrent();
  window.addEventListener('online', flush);
  window.addEventListener('offline', summarise);
  setInterval(function () { if (Object.keys(pending).length) flush(); }, 10000);
  window.addEventListener('beforeunload', function (event) {
    if (Object.keys(pending).length && !navigator.onLine) { event.preventDefault(); event.returnValue = ''; }
  });
})();
