/* The Notes section's own script (loaded once by the profile page): a live preview of a pasted chat log or
   tip menu while it is typed (with the lines it dropped, on demand, and the offer to save a tip
   menu found in a chat as a Tip Menu note), and, after a note is added, changed or deleted,
   re-rendering the section on the tab and page the user was on and bringing the header's Tip Menu
   link up to date. Everything else (forms, modals, delete) is app.js's declarative attributes.
   Pasted text only ever reaches the page as textContent, or inside HTML the server built and
   cleaned. */
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
    ].join(" · ") + " ·";
  }

  /* "N lines dropped" opens the list of those lines and why each was dropped, in the page. */
  function showDropped(panel, result) {
    var toggle = panel.querySelector("[data-notes-dropped-toggle]");
    var box = panel.querySelector("[data-notes-dropped]");
    var list = panel.querySelector("[data-notes-dropped-list]");
    var lines = result.dropped_lines || [];
    toggle.hidden = result.category !== "public_chat";
    toggle.textContent = count(lines.length, "line", "lines") + " dropped";
    toggle.disabled = lines.length === 0;
    list.replaceChildren.apply(list, lines.map(function (line) {
      var item = document.createElement("li");
      var why = document.createElement("span");
      why.className = "notes-dropped-why";
      why.textContent = "line " + line.line + " · " + line.label;
      var text = document.createElement("span");
      text.className = "notes-dropped-text";
      text.textContent = line.text;
      item.append(why, " ", text);
      return item;
    }));
    if (!lines.length) { box.hidden = true; toggle.setAttribute("aria-expanded", "false"); }
  }

  /* A tip menu the room posted inside the chat: offer to keep it as a Tip Menu note of its own. */
  function offerMenu(form, panel, result) {
    var offer = panel.querySelector("[data-notes-menu-offer]");
    var menu = result.category === "public_chat" ? result.tip_menu : null;
    offer.hidden = !menu;
    if (!menu) return;
    var button = offer.querySelector("[data-notes-save-menu]");
    if (offer.dataset.content !== menu.content) {  // a different menu: it has not been saved yet
      offer.dataset.content = menu.content;
      button.disabled = false;
      button.textContent = "Save Tip Menu";
    }
    offer.querySelector("[data-notes-menu-offer-text]").textContent =
      "This chat holds a tip menu of " + count(menu.items.length, "item", "items") +
      " — also save it as a Tip Menu note.";
  }

  function saveMenu(button) {
    var form = button.closest("form[data-notes-form]");
    var offer = button.closest("[data-notes-menu-offer]");
    var body = { category: "tip_menu", content: offer.dataset.content };
    var source = form.querySelector("[name=source_url]");
    if (source && source.value) body.source_url = source.value;
    button.disabled = true;
    window.mhc.api("POST", form.dataset.notesUrl, body).then(function () {
      button.textContent = "Tip menu saved ✓";
      form.dataset.menuSaved = "true";
      window.mhc.toast("Tip menu saved", "ok");
    }).catch(function (error) {
      button.disabled = false;
      window.mhc.toast(error.message || "The tip menu could not be saved.", "error");
    });
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
        showDropped(panel, result);
        offerMenu(form, panel, result);
        // Built by the server from escaped text and cleaned with nh3, as stored notes are.
        panel.querySelector("[data-notes-preview-body]").innerHTML = result.formatted_content;
      }).catch(function (error) {
        if (mine !== sequence) return;
        panel.querySelector("[data-notes-summary]").textContent = error.message;
        panel.querySelector("[data-notes-preview-body]").replaceChildren();
        panel.querySelector("[data-notes-dropped-toggle]").hidden = true;
        panel.querySelector("[data-notes-dropped]").hidden = true;
        panel.querySelector("[data-notes-menu-offer]").hidden = true;
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
    var toggle = event.target.closest("[data-notes-dropped-toggle]");
    if (toggle) {
      var box = toggle.closest("[data-notes-preview]").querySelector("[data-notes-dropped]");
      box.hidden = !box.hidden;
      toggle.setAttribute("aria-expanded", String(!box.hidden));
      return;
    }
    var save = event.target.closest("[data-notes-save-menu]");
    if (save) { saveMenu(save); return; }
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
    delete event.target.dataset.menuSaved; // this refresh shows the saved menu too
    if (event.target.dataset.method === "POST" && note) {
      query = notes.dataset.category ? "category=" + note.category : ""; // page 1, where it is newest
    }
    window.mhc.refreshSection("notes", query);
  });

  /* A tip menu saved from a chat whose own note was then not saved: show it once the window closes. */
  document.addEventListener("close", function (event) {
    var form = event.target.querySelector && event.target.querySelector("form[data-notes-form]");
    if (!form || form.dataset.menuSaved !== "true") return;
    delete form.dataset.menuSaved;
    window.mhc.refreshSection("notes", "");
  }, true);

  // After settling: htmx gives elements that keep their id their new attributes only then.
  document.addEventListener("htmx:afterSettle", function (event) {
    var notes = event.detail.target.querySelector("[data-notes]");
    if (!notes) return;
    syncTipMenuLink(notes);
    var editing = notes.querySelector(".note.editing form[data-notes-form]");
    if (editing) preview(editing); // a chat log or tip menu opened for editing shows its parse
  });
})();
