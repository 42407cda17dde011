// The browser editor, enhanced: a question is saved shortly after each change, a copy is kept
// in this browser until the server has it, and words selected in a source become evidence.
// Without this script every form still works: Save buttons, and sentences ticked as evidence.
(function () {
  "use strict";

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
        if (status) { status.textContent = "First select words in the text above."; }
        return;
      }
      var lines = box.value.split("\n").filter(function (line) { return line.trim(); });
      if (lines.indexOf(quote) === -1) { lines.push(quote); }
      box.value = lines.join("\n");
      delete selected[targetId];
      window.getSelection().removeAllRanges();
      if (status) { status.textContent = "Added as evidence: “" + quote + "”"; }
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  var form = document.querySelector("form[data-editor-autosave]");
  if (!form) { return; }
  // The same prefix as the quiz's drafts, so that signing out clears these too.
  var PREFIX = "civics-quiz-draft:";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var key = function () { return PREFIX + new URL(form.action).pathname; };
  var status = document.getElementById("save-status");
  var hint = document.getElementById("save-hint");
  if (hint) { hint.textContent = "The question is saved as you type, a moment after each change."; }

  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "revision" && el.type !== "submit";
    });
  };
  var snapshot = function () {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else {
        values[el.name] = [el.value];
      }
    });
    return JSON.stringify(values);
  };
  var apply = function (text) {
    var values = JSON.parse(text);
    fields().forEach(function (el) {
      var wanted = values[el.name];
      if (!wanted) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = wanted.indexOf(el.value) !== -1;
      } else {
        el.value = wanted[0] || "";
      }
    });
  };
  var keepCopy = function () {
    try { if (storage) { storage.setItem(key(), snapshot()); } } catch (e) { /* storage full */ }
  };
  var dropCopy = function () { if (storage) { storage.removeItem(key()); } };

  var say = function (message, location) {
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message + (location ? " " : "");
      if (location) {
        var link = document.createElement("a");
        link.href = location;
        link.textContent = "Continue";
        status.appendChild(link);
      }
    }, 50);
  };

  var pending = null;
  var stopped = false;
  var save = function (leaving) {
    window.clearTimeout(pending);
    pending = null;
    if (stopped) { return; }
    var sent = snapshot();
    var data = new FormData(form);
    data.set("autosave", "1");
    say("Saving…");
    window.fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: Boolean(leaving)
    }).then(function (response) {
      return response.json().then(function (reply) {
        if (reply.revision && form.elements.revision) { form.elements.revision.value = reply.revision; }
        if (response.ok) {
          if (reply.location) {
            // The first save of a new question: from now on it is edited at its own address.
            dropCopy();
            form.action = reply.location;
            window.history.replaceState(null, "", reply.location);
          }
          if (snapshot() === sent) { dropCopy(); } else { keepCopy(); }
          say(reply.message || "Saved.");
        } else {
          stopped = response.status === 400 || response.status === 401;
          say("Not saved: " + reply.message, reply.location);
        }
      });
    }).catch(function () {
      if (!leaving) {
        say("Not saved yet: the server could not be reached. What you typed is kept in this " +
            "browser; press Save question to try again.");
      }
    });
  };
  var later = function (delay) {
    keepCopy();
    window.clearTimeout(pending);
    pending = window.setTimeout(save, delay);
  };

  // A copy newer than what the page shows: the server never got it. Show it and save it.
  try {
    var copy = storage ? storage.getItem(key()) : null;
    if (copy && copy !== snapshot()) {
      apply(copy);
      save(false);
    } else if (copy) {
      dropCopy();
    }
  } catch (e) { dropCopy(); }

  form.addEventListener("change", function () { later(400); });
  form.addEventListener("input", function () { later(1200); });
  form.addEventListener("submit", function () {
    window.clearTimeout(pending);
    pending = null;
    dropCopy();
  });
  window.addEventListener("pagehide", function () { if (pending !== null) { save(true); } });
}());
