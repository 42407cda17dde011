// Saving a form in the background, with a copy of what it holds kept in this browser until
// the server has it, and each save announced in an aria-live status: shared by the quiz's
// answers (quiz.js) and the editor's questions (editor.js).
window.CivicsQuizForms = (function () {
  "use strict";
  var translated = window.CivicsQuizMessages;  // the page's messages (messages.js)

  // The values of ``fields`` (form elements) as JSON: a list of values per name.
  var snapshot = function (fields) {
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

  // Put a snapshot's values back into ``fields``.
  var apply = function (fields, text) {
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

  // Say ``message`` in the aria-live ``status``, with a link to ``location`` if given.
  var announce = function (status, message, location) {
    if (!status) { return; }
    status.textContent = "";
    // Emptied first, so that the same words are announced again.
    window.setTimeout(function () {
      status.textContent = message + (location ? " " : "");
      if (location) {
        var link = document.createElement("a");
        link.href = location;
        link.textContent = translated("continue");
        status.appendChild(link);
      }
    }, 50);
  };

  // Save ``options.form`` in the background. Options: fields() (the elements to keep), key()
  // (where the copy is kept), url() (where to send it), flag ([name, value] marking the save),
  // status (the aria-live element), offline (what to say when the server is not reached),
  // skip() (true: do not save now), replied(reply, ok) (returns the message of a save).
  var autosaver = function (options) {
    var storage = null;
    try { storage = window.localStorage; } catch (e) { storage = null; }
    var current = function () { return snapshot(options.fields()); };
    var keep = function () {
      try { if (storage) { storage.setItem(options.key(), current()); } } catch (e) { /* full */ }
    };
    var drop = function () { if (storage) { storage.removeItem(options.key()); } };
    var say = function (message, location) { announce(options.status, message, location); };
    var pending = null;
    // Once the session has ended (or the page's token is stale), saving waits for the person
    // to follow the link the status gives: the copy keeps every change meanwhile.
    var stopped = false;
    var save = function (leaving) {
      window.clearTimeout(pending);
      pending = null;
      if (stopped || (options.skip && options.skip())) { return; }
      var sent = current();
      var data = new FormData(options.form);
      data.set(options.flag[0], options.flag[1]);
      window.fetch(options.url(), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        keepalive: Boolean(leaving)
      }).then(function (response) {
        return response.json().then(function (reply) {
          var message = options.replied ? options.replied(reply, response.ok) : translated("saved");
          if (response.ok) {
            if (current() === sent) { drop(); }
            say(message || translated("saved"));
          } else {
            stopped = response.status === 400 || response.status === 401;
            say(translated("not_saved", { reason: reply.message }), reply.location);
          }
        });
      }).catch(function () {
        if (!leaving) { say(options.offline); }
      });
    };
    var later = function (delay) {
      keep();
      window.clearTimeout(pending);
      pending = window.setTimeout(save, delay);
    };
    var cancel = function () {
      window.clearTimeout(pending);
      pending = null;
    };
    // A copy the page does not show yet is newer than what the server has: show it, save it.
    var restore = function () {
      try {
        var copy = storage ? storage.getItem(options.key()) : null;
        if (copy && copy !== current()) {
          apply(options.fields(), copy);
          save(false);
        } else if (copy) {
          drop();
        }
      } catch (e) { drop(); }
    };
    // Leaving by any link (the header's too) sends a change not yet saved on its way.
    window.addEventListener("pagehide", function () { if (pending !== null) { save(true); } });
    return { save: save, later: later, cancel: cancel, restore: restore, drop: drop };
  };

  return { snapshot: snapshot, apply: apply, announce: announce, autosaver: autosaver };
}());
