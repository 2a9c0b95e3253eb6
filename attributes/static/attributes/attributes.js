/* The Attributes section: ticking a checkbox saves it at once through the API
   (PATCH /api/profile/<username>/attributes {key: bool}) and re-renders the section, which also
   brings the header badges up to date. On an error the box goes back and a toast says why.
   Loaded once by the profile page (the section's assets). */
(function () {
  "use strict";

  /* A tooltip shows while the pointer is over its attribute or the keyboard is on it; a click
     on the checkbox or Escape closes it until the pointer leaves, so it never covers the
     neighbours after a change. */
  function closeTip(item) { if (item) item.classList.add("tip-closed"); }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") document.querySelectorAll(".attr").forEach(closeTip);
  });
  document.addEventListener("mouseout", function (event) {
    var item = event.target.closest && event.target.closest(".attr");
    if (item && !item.contains(event.relatedTarget)) item.classList.remove("tip-closed");
  });
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest(".attr");
    if (item && event.target.matches(":focus-visible")) item.classList.remove("tip-closed");
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.attributeKey) return;
    var container = box.closest("[data-attributes-url]");
    var history = container.querySelector("details.attr-history[data-page]");
    var values = {};
    values[box.dataset.attributeKey] = box.checked;
    var why = container.querySelector("[data-attributes-why]");
    if (why && why.value.trim()) values.why = why.value.trim();
    closeTip(box.closest(".attr"));
    box.disabled = true;
    window.mhc.api("PATCH", container.dataset.attributesUrl, values)
      .then(function () {
        if (why) why.value = "";
        window.mhc.refreshSection("attributes", history && history.open ? "history=" + history.dataset.page : "");
        window.mhc.refreshSection("activity");
      }, function (error) {
        box.checked = !box.checked;
        box.disabled = false;
        window.mhc.toast(error.message || "The server could not be reached.", "error");
      });
  });
})();
