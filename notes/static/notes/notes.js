/* The Notes section's own script (loaded once by the profile page): a live preview of a pasted chat log or
   tip menu while it is typed, and, after a note is added, changed or deleted, re-rendering the
   section on the tab and page the user was on and bringing the header's Tip Menu link up to date.
   Everything else (forms, modals, delete) is app.js's declarative attributes. */
(function () {
  "use strict";
  var PARSED = { public_chat: "Paste the chat copied from the room…", tip_menu: "Paste the tip menu…" };
  var DELAY_MS = 250;
  var sequence = 0;

  function count(n, one, many) { return n.toLocaleString() + " " + (n === 1 ? one : many); }

  function summary(result) {
    if (result.category === "tip_menu") return count(result.items.length, "item", "items");
    var tipped = result.tips.reduce(function (sum, tip) { return sum + tip.tokens; }, 0);
    return [
      count(result.messages.length, "message", "messages"),
      count(Object.keys(result.users).length, "person", "people"),
      count(result.tips.length, "tip", "tips") + " (" + count(tipped, "token", "tokens") + ")",
      count(result.dropped, "line", "lines") + " dropped",
    ].join(" · ");
  }

  function preview(form) {
    var category = form.querySelector("[data-notes-category]").value;
    var content = form.querySelector("[data-notes-content]");
    var panel = form.querySelector("[data-notes-preview]");
    var parsed = Object.prototype.hasOwnProperty.call(PARSED, category);
    form.classList.toggle("pasting", parsed);
    form.querySelectorAll("[data-notes-paste]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.notesPaste === category));
    });
    panel.hidden = !parsed;
    content.placeholder = parsed ? PARSED[category] : "";
    clearTimeout(form.notesTimer);
    if (!parsed) return;
    form.notesTimer = setTimeout(function () {
      var mine = ++sequence;
      var body = { category: category, content: content.value, broadcaster: form.dataset.broadcaster };
      window.mhc.api("POST", form.dataset.previewUrl, body).then(function (result) {
        if (mine !== sequence) return; // a newer preview is on its way
        panel.querySelector("[data-notes-summary]").textContent = summary(result);
        // Built by the server from escaped text and cleaned with nh3, as stored notes are.
        panel.querySelector("[data-notes-preview-body]").innerHTML = result.formatted_content;
      }).catch(function (error) {
        if (mine !== sequence) return;
        panel.querySelector("[data-notes-summary]").textContent = error.message;
        panel.querySelector("[data-notes-preview-body]").replaceChildren();
      });
    }, DELAY_MS);
  }

  function syncTipMenuLink(notes) {
    var template = notes.querySelector("template[data-notes-tip-menu]");
    var links = document.getElementById("header-links");
    if (!template || !links) return;
    var current = document.getElementById("tip-menu-link");
    var fresh = template.content.getElementById("tip-menu-link");
    if (current) current.remove();
    if (fresh) links.prepend(document.importNode(fresh, true));
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-notes-form]");
    if (form && event.target.matches("[data-notes-content]")) preview(form);
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-notes-form]");
    if (form && event.target.matches("[data-notes-category]")) preview(form);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-notes-paste]");
    if (!button) return;
    var form = button.closest("form[data-notes-form]");
    form.querySelector("[data-notes-category]").value = button.dataset.notesPaste;
    preview(form);
    form.querySelector("[data-notes-content]").focus();
  });

  /* After an add, edit or delete: show the tab the note is on (or stay), on the same page. */
  document.addEventListener("mhc:done", function (event) {
    var notes = event.target.closest("[data-notes]");
    if (!notes) return;
    var query = notes.dataset.query;
    var note = event.detail;
    if (event.target.dataset.method === "POST" && note) {
      query = notes.dataset.category ? "category=" + note.category : ""; // page 1, where it is newest
    }
    window.mhc.refreshSection("notes", query);
  });

  // After settling: htmx gives elements that keep their id their new attributes only then.
  document.addEventListener("htmx:afterSettle", function (event) {
    var notes = event.detail.target.querySelector("[data-notes]");
    if (!notes) return;
    syncTipMenuLink(notes);
    var editing = notes.querySelector(".note.editing form[data-notes-form]");
    if (editing) preview(editing); // a chat log or tip menu opened for editing shows its parse
  });
})();
