/* The Collaborators section.

   - When adding someone created a person nobody had seen before (the API answers
     "new_person": true, or lists "new_people" for a group), say so, so a mistyped username does
     not go unnoticed.
   - "Add a group": usernames typed into the chip input (Enter, comma or Tab adds one; × or
     Backspace removes one) become the form's "usernames" list, the profile's own username first. */
(function () {
  "use strict";

  var USERNAME = /^[a-z0-9_]{1,64}$/;

  function groupForm(element) { return element.closest("[data-group-form]"); }

  function chipNames(form) {
    return Array.prototype.map.call(form.querySelectorAll(".chip[data-username]"), function (chip) { return chip.dataset.username; });
  }

  function sync(form) {
    var hidden = form.querySelector("[data-group-usernames]");
    hidden.value = [hidden.dataset.self].concat(chipNames(form)).join(",");
  }

  function addChip(input) {
    var form = groupForm(input);
    var name = input.value.trim().toLowerCase().replace(/,$/, "");
    if (!name) return;
    var error = form.querySelector(".form-error");
    if (!USERNAME.test(name)) {
      error.textContent = "Usernames: " + name + " is not a valid username (letters, digits and _).";
      error.hidden = false;
      return;
    }
    error.hidden = true;
    input.value = "";
    if (chipNames(form).indexOf(name) !== -1 || name === form.querySelector("[data-group-usernames]").dataset.self) return;
    var chip = document.createElement("span");
    chip.className = "chip";
    chip.dataset.username = name;
    chip.textContent = name;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", "Remove " + name);
    remove.textContent = "×";
    chip.appendChild(remove);
    input.before(chip);
    sync(form);
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest("[data-chip-input]");
    if (!input) return;
    if (event.key === "Enter" || event.key === "," || (event.key === "Tab" && input.value.trim())) {
      event.preventDefault();
      addChip(input);
    } else if (event.key === "Backspace" && !input.value) {
      var chips = groupForm(input).querySelectorAll(".chip[data-username]");
      if (chips.length) { chips[chips.length - 1].remove(); sync(groupForm(input)); }
    }
  });

  /* Choosing a suggestion from the list fills the input in one go: make it a chip. */
  document.addEventListener("change", function (event) {
    var input = event.target.closest("[data-chip-input]");
    if (input && input.value.trim()) addChip(input);
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest(".chip-remove");
    if (!remove) return;
    var form = groupForm(remove);
    remove.closest(".chip").remove();
    sync(form);
  });

  /* What is still typed counts too; app.js reads the form after this (capture phase). */
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-group-form]");
    if (!form) return;
    var input = form.querySelector("[data-chip-input]");
    if (input.value.trim()) addChip(input);
    sync(form);
  }, true);

  document.addEventListener("mhc:done", function (event) {
    var body = event.detail;
    if (!body) return;
    if (event.target.closest("#add-collaborator") && body.new_person) {
      window.mhc.toast(body.username + " had never been seen before: added as a new person (role unknown).", "ok");
    }
    if (event.target.closest("[data-group-form]")) {
      var form = event.target.closest("[data-group-form]");
      form.querySelectorAll(".chip[data-username]").forEach(function (chip) { chip.remove(); });
      sync(form);
      var message = body.created + " new pair" + (body.created === 1 ? "" : "s") + " of " + body.pairs + ".";
      if (body.new_people && body.new_people.length) message += " New people: " + body.new_people.join(", ") + ".";
      window.mhc.toast(message, "ok");
    }
  });
})();
