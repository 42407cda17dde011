// Progressive enhancement for the question page. Everything works without this file:
// it only keeps a draft of what the student types in this browser until the server has it,
// and moves focus to the error summary when there is one.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage) { return; }
  var key = "civics-quiz-draft:" + window.location.pathname;
  var textInputs = form.querySelectorAll("input[type=text]");
  try {
    var draft = JSON.parse(window.localStorage.getItem(key) || "null");
    if (draft) {
      textInputs.forEach(function (input) {
        // Only fill a field the server left empty: the saved answer always wins.
        if (!input.value && draft[input.name]) { input.value = draft[input.name]; }
      });
    }
  } catch (e) { window.localStorage.removeItem(key); }
  form.addEventListener("input", function () {
    var values = {};
    textInputs.forEach(function (input) { values[input.name] = input.value; });
    try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* storage full */ }
  });
  form.addEventListener("submit", function () {
    // The page that follows shows the saved answer; clear the draft once the server has it.
    window.addEventListener("pagehide", function () { window.localStorage.removeItem(key); });
  });
}());
