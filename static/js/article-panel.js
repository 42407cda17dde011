// The article beside the question: on a wide screen, where it has its own column, open it at
// once; on a phone it stays closed under the question until the student opens it.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 72rem)").matches) {
    return;
  }
  document.querySelectorAll("details[data-article]").forEach(function (details) {
    details.open = true;
  });
})();
