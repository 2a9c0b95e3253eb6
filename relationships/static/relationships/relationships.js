/* Relationships: a drop-down with data-patch-url (type, status) saves its new value with one
   PATCH as soon as it changes, then re-renders its section (data-refresh-section), which also
   puts the old value back if the server refused the change. Loaded once by the profile page
   (the section's assets). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-patch-url]");
    if (!select) return;
    var body = {};
    body[select.name] = select.value;
    select.setAttribute("aria-busy", "true");
    select.disabled = true;  // one change at a time: the re-rendered section enables it again
    window.mhc.api("PATCH", select.dataset.patchUrl, body)
      .catch(function (error) { window.mhc.toast(error.message || "The server could not be reached.", "error"); })
      .finally(function () {
        (select.dataset.refreshSection || "").split(/\s+/).filter(Boolean).forEach(function (key) {
          window.mhc.refreshSection(key);
        });
      });
  });
})();
