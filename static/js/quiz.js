// Progressive enhancement; every page works without this file. On any page it moves the focus
// to the error summary after a form comes back with mistakes. On the question page it moves the
// focus to the new question, counts down a time limit with spoken warnings, and keeps a draft of
// typed answers in this browser until the server has it.
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

  // Drafts of typed answers, restored only into a field the server left empty.
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage) { return; }
  var key = "civics-quiz-draft:" + window.location.pathname;
  var textInputs = form.querySelectorAll("input[type=text]");
  try {
    var draft = JSON.parse(window.localStorage.getItem(key) || "null");
    if (draft) {
      var saved = true;
      textInputs.forEach(function (input) {
        if (!input.value && draft[input.name]) { input.value = draft[input.name]; }
        if (input.defaultValue !== (draft[input.name] || "")) { saved = false; }
      });
      // The server shows exactly the draft: it has the answer, so the draft can go.
      if (saved) { window.localStorage.removeItem(key); }
    }
  } catch (e) { window.localStorage.removeItem(key); }
  form.addEventListener("input", function () {
    var values = {};
    textInputs.forEach(function (input) { values[input.name] = input.value; });
    try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* storage full */ }
  });
}());
