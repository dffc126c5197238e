// The progress of a background export (admin), as for a members import: polls its state every
// second, moves the bar; reloads the page, which then shows the download link, once done.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-job-progress]");
  if (!box) return;
  var progressbar = box.querySelector("[role=progressbar]");
  var bar = box.querySelector("[data-bar]");
  var written = box.querySelector("[data-written]");
  var total = box.querySelector("[data-total]");
  var percent = box.querySelector("[data-percent]");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && !state.running) {
          window.location.reload();
          return;
        }
        if (state) {
          bar.style.width = state.percent + "%";
          progressbar.setAttribute("aria-valuenow", state.percent);
          progressbar.setAttribute("aria-valuetext", state.percent + " %");
          percent.textContent = state.percent;
          written.textContent = state.written_label;
          total.textContent = state.total_label;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
