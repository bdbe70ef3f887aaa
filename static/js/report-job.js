// The report job page follows its job without reloading: it asks the status endpoint every
// two seconds, updates the progress bar and the live status (announced by screen readers,
// no more often than every 10 points or on a change of state), and once the job is finished
// replaces the page's details with the server's (the download button, or the reason it failed).
(function () {
  "use strict";
  var detail = document.getElementById("job-detail");
  var live = document.getElementById("job-live");
  if (!detail || !live || detail.getAttribute("data-finished") === "true" || !window.fetch) {
    return;
  }
  var statusUrl = detail.getAttribute("data-status-url");
  var announced = { status: null, progress: -100 };

  function timeLeft(seconds) {
    if (!seconds) {
      return "";
    }
    if (seconds < 60) {
      return ", about " + seconds + " seconds left";
    }
    var minutes = Math.round(seconds / 60);
    return ", about " + minutes + (minutes === 1 ? " minute" : " minutes") + " left";
  }

  function describe(data) {
    if (data.status === "running") {
      return "Running: " + data.progress + "% done" + timeLeft(data.seconds_left) + ".";
    }
    if (data.status === "done") {
      return "Done: the report is ready to download.";
    }
    if (data.status === "failed") {
      return "Failed: the reason is shown below.";
    }
    return data.status_label + ".";
  }

  function update(data) {
    var bar = document.getElementById("job-progress");
    var label = document.getElementById("job-progress-label");
    var tag = detail.querySelector("#job-status .govuk-tag");
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
    }
    if (label) {
      label.textContent = data.progress + "% done" + timeLeft(data.seconds_left);
    }
    if (tag) {
      tag.textContent = data.status_label;
    }
    if (data.status !== announced.status || data.finished || data.progress - announced.progress >= 10) {
      live.textContent = describe(data);
      announced = { status: data.status, progress: data.progress };
    }
  }

  function showFinished() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-detail");
        if (fresh) {
          detail.replaceWith(document.importNode(fresh, true));
        }
      });
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data);
        if (data.finished || data.stuck) {
          showFinished();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // the server or the connection is down for a moment
      });
  }

  window.setTimeout(poll, 1000);
})();
