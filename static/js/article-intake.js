// Progressive enhancement of the story intake: what the teacher pasted or typed is kept in this
// browser until the draft questions are made, so that a session that ran out, a file too large
// to send, or a closed tab loses nothing. A file over the limit is refused before it is sent.
// Without this file the form works the same; the server keeps the text of a refused file.
(function () {
  "use strict";
  var say = window.CivicsQuizMessages;  // the page's messages (messages.js)
  // The prefix quiz.js clears when the teacher signs out: school computers are shared.
  var KEY = "civics-quiz-draft:article-intake";
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  if (!storage) { return; }

  // The review page says the article arrived: the kept copy has done its work.
  if (document.querySelector("[data-article-drafted]")) {
    storage.removeItem(KEY);
    return;
  }
  var form = document.querySelector("form[data-article-intake]");
  if (!form) { return; }
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && el.type !== "hidden" && el.type !== "file" && el.type !== "submit";
  });
  var status = document.getElementById("intake-status");
  var snapshot = function () {
    var values = {};
    fields.forEach(function (el) { values[el.name] = el.value; });
    return values;
  };
  var empty = fields.every(function (el) { return !el.value; });

  // A page that comes back empty (signed in again, a new tab) gets the kept text back.
  try {
    var kept = JSON.parse(storage.getItem(KEY) || "null");
    if (kept && empty && fields.some(function (el) { return kept[el.name]; })) {
      fields.forEach(function (el) {
        if (typeof kept[el.name] === "string") { el.value = kept[el.name]; }
      });
      if (status) {
        status.textContent = say("intake_restored");
      }
    }
  } catch (e) { storage.removeItem(KEY); }

  var keep = function () {
    try { storage.setItem(KEY, JSON.stringify(snapshot())); } catch (e) { /* storage full */ }
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  var file = form.querySelector("input[type=file][data-max-bytes]");
  form.addEventListener("submit", function (event) {
    keep();
    var limit = file ? Number(file.getAttribute("data-max-bytes")) : 0;
    var chosen = file && file.files && file.files[0];
    if (chosen && limit && chosen.size > limit && status) {
      event.preventDefault();
      status.textContent = say("file_too_large", {
        name: chosen.name, size: file.getAttribute("data-max-size")
      });
      file.focus();
    }
  });
}());
