/* The Collaborators section: when adding someone created a person nobody had seen before (the
   API answers "new_person": true), say so, so a mistyped username does not go unnoticed. */
(function () {
  "use strict";
  document.addEventListener("mhc:done", function (event) {
    var body = event.detail;
    if (!event.target.closest("#add-collaborator") || !body || !body.new_person) return;
    window.mhc.toast(body.username + " had never been seen before: added as a new person (role unknown).", "ok");
  });
})();
