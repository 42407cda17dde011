// Progressive enhancement; every page works without this file. On any page it moves the focus
// to the error summary after a form comes back with mistakes, and clears answer drafts at
// sign-out. On the question page it moves the focus to the new question, counts down a time
// limit with spoken warnings, saves the answer as it changes (saying "Saved"), and keeps a
// draft of it in this browser until the server has it.
(function () {
  "use strict";
  var say = window.CivicsQuizMessages;  // the page's messages (messages.js)

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
            warning.textContent = mark === 1 ? say("one_minute_left") : say("minutes_left", { count: mark });
          }
        }
      });
      if (seconds === 0) {
        window.clearInterval(interval);
        if (warning) { warning.textContent = say("time_up"); }
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
  if (hint && !practice) { hint.textContent = say("autosave_hint"); }

  // Every named field but the token and the buttons: the answer, however its type names it.
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && el.name !== "csrf_token" && el.type !== "submit";
  });
  var saver = window.CivicsQuizForms.autosaver({
    form: form,
    fields: function () { return fields; },
    key: function () { return key; },
    url: function () { return window.location.href; },
    flag: ["nav", "autosave"],
    status: status,
    offline: say("answer_offline"),
    skip: function () { return practice; }
  });
  saver.restore();
  // An answer the server kept when the session had ended: saved now, with this page's token.
  if (form.hasAttribute("data-restored")) { saver.save(false); }

  form.addEventListener("change", function () { saver.later(250); });
  form.addEventListener("input", function (event) {
    // Typed answers are saved a moment after the student stops: text boxes and text areas.
    if (event.target.type === "text" || event.target.type === "textarea") { saver.later(800); }
  });
  form.addEventListener("submit", function () {
    // The button saves it; a draft stays until the next page shows the answer saved.
    saver.cancel();
  });
}());
