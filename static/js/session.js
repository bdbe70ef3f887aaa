// OFFICIAL-SENSITIVE answers kept in this browser while offline are removed when the
// person signs out, and any left by another account on this browser are removed now.
(function () {
  'use strict';
  var me = document.body.dataset.user || '';
  function clear(all) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf('cfe:') === 0 && (all || key.indexOf('cfe:' + me + ':') !== 0)) localStorage.removeItem(key);
      }
    } catch (e) { /* storage disabled */ }
  }
  if (me) clear(false);  // signed out (e.g. a session that ended): keep them for the same person's return
  var logout = document.getElementById('logout-form');
  if (logout) {
    logout.addEventListener('submit', function (event) {
      var unsent = 0;
      try {
        for (var i = 0; i < localStorage.length; i++) if (localStorage.key(i).indexOf('cfe:' + me + ':pending') === 0) unsent++;
      } catch (e) { /* ignore */ }
      if (unsent && !window.confirm('Some answers have not reached the server yet. If you sign out now they are lost. Sign out anyway?')) {
        event.preventDefault();
        return;
      }
      clear(true);
    });
  }
})();
