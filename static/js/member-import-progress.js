// The progress of a members import (admin): polls its state every second and moves the bar;
// reloads the page, which then shows the report, once the worker has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-member-import-progress]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var processed = box.querySelector("[data-processed]");
  var total = box.querySelector("[data-total]");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && !state.running) {
          window.location.reload();
          return;
        }
        if (state) {
          bar.value = state.percent;
          bar.textContent = state.percent + " %";
          processed.textContent = state.processed;
          total.textContent = state.total;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
