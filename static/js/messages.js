// What the scripts say, in the page's language: the page carries the messages as JSON in a
// data attribute (quizapp/i18n.py SCRIPT_MESSAGES), translated with the rest of the page.
// CivicsQuizMessages("words", {count: 3, max: 50}) fills the %(name)s placeholders.
(function () {
  "use strict";
  var found = {};
  try {
    found = JSON.parse(document.getElementById("script-messages").dataset.messages);
  } catch (e) { found = {}; }
  window.CivicsQuizMessages = function (key, values) {
    var text = Object.prototype.hasOwnProperty.call(found, key) ? found[key] : key;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  };
}());
