// Progressive enhancement; every page works without this file. On any page it moves the focus
// to the error summary after a form comes back with mistakes, and clears answer drafts at
// sign-out. On the question page it moves the focus to the new question, counts down a time
// limit with spoken warnings, saves the answer as it changes (saying "Saved"), and keeps a
// draft of it in this browser until the server has it.
(function () {
  "use strict";

  // Focus: the error summary after a failed save, otherwise the question itself.
  var summary = document.getElementById("error-summary");
  var heading = document.getElementById("question-heading");
  if (summary) {
    summary.focus();
  } else if (heading && document.referrer.indexOf(window.location.host) !== -1) {
    heading.focus();
  }

  // Time limit: the server enforces it; this only shows the minutes and warns at 5 and 1.
  var timer = document.getElementById("time-left");
  var warning = document.getElementById("time-warning");
  if (timer && timer.dataset.deadline) {
    var deadline = Date.parse(timer.dataset.deadline);
    var shown = timer.querySelector("strong");
    var warned = {};
    var tick = function () {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      shown.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
      timer.classList.toggle("time-low", seconds <= 5 * 60);
      [5, 1].forEach(function (mark) {
        if (seconds <= mark * 60 && seconds > 0 && !warned[mark]) {
          warned[mark] = true;
          if (warning) {
            warning.textContent = mark === 1 ? "One minute left." : mark + " minutes left.";
          }
        }
      });
      if (seconds === 0) {
        window.clearInterval(interval);
        if (warning) { warning.textContent = "Time is up. Save now; the quiz is being submitted."; }
      }
    };
    var interval = window.setInterval(tick, 1000);
    tick();
  }

  // Drafts: what the student chose or typed, kept in this browser until the server has it.
  var DRAFT_PREFIX = "civics-quiz-draft:";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  // Signing out clears every draft: school computers are shared. (The server also sends
  // Clear-Site-Data; a session that merely ran out keeps them, to be saved after signing in.)
  document.querySelectorAll("form[action$='/account/logout']").forEach(function (logout) {
    logout.addEventListener("submit", function () {
      if (!storage) { return; }
      Object.keys(storage).forEach(function (name) {
        if (name.indexOf(DRAFT_PREFIX) === 0) { storage.removeItem(name); }
      });
    });
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var key = DRAFT_PREFIX + window.location.pathname;
  // Practice answers are checked (and then final) only when the student presses the button.
  var practice = form.hasAttribute("data-practice");
  var status = document.getElementById("save-status");
  var hint = document.getElementById("save-hint");
  if (hint && !practice) { hint.textContent = "Your answer is saved as you change it."; }

  // Every named field but the token and the buttons: the answer, however its type names it.
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && el.name !== "csrf_token" && el.type !== "submit";
  });
  var snapshot = function () {
    var values = {};
    fields.forEach(function (el) {
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
    fields.forEach(function (el) {
      var wanted = values[el.name];
      if (!wanted) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = wanted.indexOf(el.value) !== -1;
      } else {
        el.value = wanted[0] || "";
      }
    });
  };
  var readDraft = function () { return storage ? storage.getItem(key) : null; };
  var writeDraft = function () {
    try { if (storage) { storage.setItem(key, snapshot()); } } catch (e) { /* storage full */ }
  };
  var dropDraft = function () { if (storage) { storage.removeItem(key); } };

  var say = function (message, location) {
    if (!status) { return; }
    status.textContent = "";
    // Emptied first, so that the same words are announced again.
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
  // Once the session has ended (or the page's token is stale), saving waits for the student
  // to follow the link the status gives: the draft keeps every change meanwhile.
  var stopped = false;
  var save = function (leaving) {
    window.clearTimeout(pending);
    pending = null;
    if (practice || stopped) { return; }
    var sent = snapshot();
    var data = new FormData(form);
    data.set("nav", "autosave");
    window.fetch(window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: Boolean(leaving)
    }).then(function (response) {
      return response.json().then(function (reply) {
        if (response.ok) {
          if (snapshot() === sent) { dropDraft(); }
          say("Saved");
        } else {
          stopped = response.status === 400 || response.status === 401;
          say("Not saved: " + reply.message, reply.location);
        }
      });
    }).catch(function () {
      if (!leaving) {
        say("Not saved yet: the server could not be reached. Your answer is kept in this " +
            "browser; press a button below to save it.");
      }
    });
  };
  var later = function (delay) {
    writeDraft();
    window.clearTimeout(pending);
    pending = window.setTimeout(save, delay);
  };

  // A draft the page does not show yet is newer than what the server has: show it and save it.
  try {
    var draft = readDraft();
    if (draft && draft !== snapshot()) {
      apply(draft);
      save(false);
    } else if (draft) {
      dropDraft();
    }
  } catch (e) { dropDraft(); }
  // An answer the server kept when the session had ended: saved now, with this page's token.
  if (form.hasAttribute("data-restored")) { save(false); }

  form.addEventListener("change", function () { later(250); });
  form.addEventListener("input", function (event) {
    if (event.target.type === "text") { later(800); }
  });
  form.addEventListener("submit", function () {
    // The button saves it; a draft stays until the next page shows the answer saved.
    window.clearTimeout(pending);
    pending = null;
  });
  // Leaving by any link (the header's too) sends a change not yet saved on its way.
  window.addEventListener("pagehide", function () { if (pending !== null) { save(true); } });
}());
