// Progressive enhancement: a new class starts in this browser's time zone, when the menu lists
// it. Without this file the menu starts at the zone of the teacher's newest class (or U.S.
// Eastern). A form sent back with mistakes keeps the zone the teacher chose.
(function () {
  "use strict";
  var select = document.querySelector("select[data-browser-zone]");
  if (!select || document.getElementById("error-summary") || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
}());
