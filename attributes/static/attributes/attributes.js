/* The Attributes section: ticking a checkbox saves it at once through the API
   (PATCH /api/profile/<username>/attributes {key: bool}) and re-renders the section, which also
   brings the header badges up to date. On an error the box goes back and a toast says why.
   Loaded once by the profile page (the section's assets). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.attributeKey) return;
    var container = box.closest("[data-attributes-url]");
    var history = container.querySelector("details.attr-history[data-page]");
    var values = {};
    values[box.dataset.attributeKey] = box.checked;
    box.disabled = true;
    window.mhc.api("PATCH", container.dataset.attributesUrl, values)
      .then(function () {
        window.mhc.refreshSection("attributes", history && history.open ? "history=" + history.dataset.page : "");
      }, function (error) {
        box.checked = !box.checked;
        box.disabled = false;
        window.mhc.toast(error.message || "The server could not be reached.", "error");
      });
  });
})();
