// Live word count for written answers. The server counts the words too (the page shows its
// count after saving), so without JavaScript nothing is lost.
"use strict";

(function () {
  const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

  function countWords(text) {
    const found = text.match(WORD);
    return found ? found.length : 0;
  }

  function describe(count, min, max) {
    const say = window.CivicsQuizMessages;
    if (count > max) {
      return say("words_over", { count: count, max: max, over: count - max });
    } else if (min && count < min) {
      return say("words_under", { count: count, max: max, min: min });
    }
    return say("words", { count: count, max: max });
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const box of document.querySelectorAll("textarea[data-max-words]")) {
      const output = document.getElementById(box.dataset.count);
      if (!output) {
        continue;
      }
      const min = Number(box.dataset.minWords) || 0;
      const max = Number(box.dataset.maxWords) || 0;
      const update = function () {
        output.textContent = describe(countWords(box.value), min, max);
      };
      box.addEventListener("input", update);
      update();
    }
  });
})();
