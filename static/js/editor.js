// The browser editor, enhanced: a question is saved shortly after each change, a copy is kept
// in this browser until the server has it, and words selected in a source become evidence.
// Without this script every form still works: Save buttons, and sentences ticked as evidence.
(function () {
  "use strict";
  var say = window.CivicsQuizMessages;  // the page's messages (messages.js)

  // Shown only when this script runs: "Use as evidence" and its hint.
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  // Evidence by selecting text. The words selected inside a source's text are remembered (a
  // click on the button may clear the selection) and added, verbatim, as a quote of their own.
  var selected = {};
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    var node = selection.getRangeAt(0).commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var box = element && element.closest("[data-evidence-for]");
    if (box) { selected[box.getAttribute("data-evidence-for")] = selection.toString(); }
  });
  document.querySelectorAll("[data-evidence-for] .sentence").forEach(function (label) {
    // Selecting words in a sentence must not tick or untick it.
    label.addEventListener("click", function (event) {
      var selection = window.getSelection();
      if (selection && !selection.isCollapsed && event.target.tagName !== "INPUT") {
        event.preventDefault();
      }
    });
  });
  document.querySelectorAll("button.use-evidence").forEach(function (button) {
    var targetId = button.getAttribute("data-target");
    var status = button.parentElement.querySelector(".use-evidence-status");
    button.addEventListener("click", function () {
      var box = document.getElementById(targetId);
      // Line breaks would split the quote in two: the quote box holds one quote a line.
      var quote = (selected[targetId] || "").replace(/\s+/g, " ").trim();
      if (!box || !quote) {
        if (status) { status.textContent = say("select_first"); }
        return;
      }
      var lines = box.value.split("\n").filter(function (line) { return line.trim(); });
      if (lines.indexOf(quote) === -1) { lines.push(quote); }
      box.value = lines.join("\n");
      delete selected[targetId];
      window.getSelection().removeAllRanges();
      if (status) { status.textContent = say("evidence_added", { quote: quote }); }
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  var form = document.querySelector("form[data-editor-autosave]");
  if (!form) { return; }
  var status = document.getElementById("save-status");
  var hint = document.getElementById("save-hint");
  if (hint) { hint.textContent = say("editor_hint"); }

  var saver = window.CivicsQuizForms.autosaver({
    form: form,
    fields: function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrf_token" && el.name !== "revision" &&
          el.type !== "submit";
      });
    },
    // The quiz's prefix, so that signing out clears these copies too (school computers).
    key: function () { return "civics-quiz-draft:" + new URL(form.action).pathname; },
    url: function () { return form.action; },
    flag: ["autosave", "1"],
    status: status,
    offline: say("editor_offline"),
    replied: function (reply, ok) {
      // The stored draft's revision: the next save says which one it changes.
      if (reply.revision && form.elements.revision) { form.elements.revision.value = reply.revision; }
      if (ok && reply.location) {
        // A new question's first save: from now on it is edited at its own address.
        saver.drop();
        form.action = reply.location;
        window.history.replaceState(null, "", reply.location);
      }
      return reply.message;
    }
  });
  saver.restore();
  form.addEventListener("change", function () { saver.later(400); });
  form.addEventListener("input", function () { saver.later(1200); });
  form.addEventListener("submit", function () {
    saver.cancel();
    saver.drop();
  });
}());
