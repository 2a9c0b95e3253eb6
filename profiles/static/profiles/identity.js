/* Renames and merges on the profile page.
   - A rename answers with the person under the new name: go to their page.
   - The merge dialog first asks the API for a preview (the same plan the merge then follows),
     shows what moves and each conflict with the choice that will be made, and merges only when
     the owner confirms; then it goes to the kept person's page. */
(function () {
  "use strict";

  document.addEventListener("mhc:done", function (event) {
    if (event.target.matches("[data-rename-form]") && event.detail && event.detail.url) {
      window.location.href = event.detail.url;
    }
  });

  function cell(tag, text, className) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) { tr.appendChild(c); });
    return tr;
  }

  function renderPlan(box, plan) {
    var kinds = document.createElement("table");
    kinds.appendChild(row([cell("th", "What"), cell("th", "Moves"), cell("th", "Dropped")]));
    plan.kinds.forEach(function (kind) {
      kinds.appendChild(row([cell("td", kind.kind), cell("td", String(kind.moved)), cell("td", String(kind.dropped))]));
    });
    var heading = cell("p", plan.merge + " will be merged into " + plan.keep + "; " + plan.former_username + " becomes a former name of " + plan.keep + ".");
    var parts = [heading, kinds];
    if (plan.conflicts.length) {
      var conflicts = document.createElement("table");
      conflicts.id = "merge-conflicts";
      conflicts.appendChild(row([cell("th", "Conflict"), cell("th", "Choice")]));
      plan.conflicts.forEach(function (conflict) {
        conflicts.appendChild(row([cell("td", conflict.kind + ": " + conflict.description), cell("td", conflict.choice, "choice")]));
      });
      parts.push(conflicts);
    } else {
      parts.push(cell("p", "No conflicts.", "muted"));
    }
    box.replaceChildren.apply(box, parts);
    box.hidden = false;
  }

  function showError(form, error) {
    var box = form.querySelector(".form-error");
    box.textContent = (error && error.message) || "The server could not be reached.";
    box.hidden = false;
  }

  function request(form, preview) {
    var input = form.querySelector("[name=merge]");
    return window.mhc.api("POST", form.dataset.url, { keep: form.dataset.keepUsername, merge: input.value.trim(), preview: preview });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-merge-form]");
    if (!form) return;
    event.preventDefault();
    form.querySelector(".form-error").hidden = true;
    request(form, true).then(function (answer) {
      renderPlan(document.getElementById("merge-preview"), answer.plan);
      document.getElementById("merge-confirm").hidden = false;
    }).catch(function (error) { showError(form, error); });
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-merge-form]");
    if (!form) return;
    document.getElementById("merge-preview").hidden = true;
    document.getElementById("merge-confirm").hidden = true;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#merge-confirm");
    if (!button) return;
    var form = button.closest("form");
    button.setAttribute("aria-busy", "true");
    request(form, false).then(function (answer) {
      window.location.href = answer.url;
    }).catch(function (error) { showError(form, error); })
      .finally(function () { button.removeAttribute("aria-busy"); });
  });
})();
