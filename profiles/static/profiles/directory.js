/* The people directory's selection and bulk edits.

   Ticking people (or "select all") shows the bulk bar; each bulk form in it has an
   <input name="usernames" data-bulk-usernames data-type="list">, filled here with the selected
   usernames before app.js submits it. After a bulk edit, the results are fetched again (with
   the current filters) and swapped in: no full-page reload. */
(function () {
  "use strict";

  function selected() {
    return Array.prototype.map.call(document.querySelectorAll("[data-bulk-select]:checked"), function (box) { return box.value; });
  }

  function update() {
    var bar = document.querySelector("[data-bulk-bar]");
    if (!bar) return;
    var names = selected();
    bar.hidden = names.length === 0;
    bar.querySelector("[data-bulk-count]").textContent = String(names.length);
    bar.querySelectorAll("[data-bulk-usernames]").forEach(function (input) { input.value = names.join(","); });
    var all = document.querySelector("[data-bulk-all]");
    var boxes = document.querySelectorAll("[data-bulk-select]");
    if (all) all.checked = boxes.length > 0 && names.length === boxes.length;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-bulk-all]")) {
      document.querySelectorAll("[data-bulk-select]").forEach(function (box) { box.checked = event.target.checked; });
    }
    if (event.target.matches("[data-bulk-all], [data-bulk-select]")) update();
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-bulk-clear]")) return;
    document.querySelectorAll("[data-bulk-select], [data-bulk-all]").forEach(function (box) { box.checked = false; });
    update();
  });

  /* app.js reads the form's controls on submit; fill the usernames first (capture phase). */
  document.addEventListener("submit", function (event) {
    if (event.target.closest("[data-bulk-bar]")) update();
  }, true);

  document.addEventListener("mhc:done", function (event) {
    if (!event.target.closest("[data-bulk-bar]")) return;
    var result = event.detail || {};
    window.mhc.toast("Changed " + result.changed + " of " + result.people + " selected.", "ok");
    htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#people-results", select: "#people-results", swap: "outerHTML" });
  });

  document.addEventListener("htmx:afterSettle", update);
})();
